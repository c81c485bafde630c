import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { generateSecretKey, getPublicKey } from 'nostr-tools';
import type { Config } from '../config/schema.ts';
import { isHex64 } from '../relay/nostr/hex.ts';

export interface CommonsKey {
  sk: Uint8Array;
  pubkey: string;
}

/** <storage.dataDir>/commons.key: kept with the data, so a backup keeps the datasets' signer. */
export const commonsKeyFile = (config: Pick<Config, 'storage'>): string => join(config.storage.dataDir, 'commons.key');

/**
 * The key that signs dataset manifests, so anyone holding a dataset can check it is the one the
 * village published. Generated on first use (hex, mode 0600), read back after, and shared by the
 * relay's scheduled rebuilds and `hamlet dataset export`.
 */
export function loadOrCreateCommonsKey(file: string): CommonsKey {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let hex: string;
  try {
    hex = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    hex = bytesToHex(generateSecretKey());
    // 'wx': the relay and a CLI command starting at once never overwrite each other's key
    try {
      writeFileSync(file, hex + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      hex = readFileSync(file, 'utf8').trim();
    }
    chmodSync(file, 0o600);
  }
  if (!isHex64(hex)) throw new Error(`${file} does not hold a 64-hex-digit secret key`);
  const sk = hexToBytes(hex);
  return { sk, pubkey: getPublicKey(sk) };
}
