import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { generateSecretKey, getPublicKey } from 'nostr-tools';
import { isHex64 } from '../../relay/nostr/hex.ts';

export interface DvmKey {
  sk: Uint8Array;
  pubkey: string;
}

/**
 * Each DVM signs with its own key (NIP-89: one pubkey per algorithm). The key is generated on
 * first start into `<dir>/<id>.key` (hex, mode 0600) and read back on every later start, so a
 * DVM keeps its identity (and its followers' trust) across restarts.
 */
export function loadOrCreateKey(dir: string, id: string): DvmKey {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(id)) throw new Error(`bad DVM id for a key file: ${id}`);
  return loadOrCreateKeyFile(join(dir, `${id}.key`));
}

/** A secret key kept in one file: generated on first use (hex, mode 0600), read back after. */
export function loadOrCreateKeyFile(file: string): DvmKey {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let hex: string;
  try {
    hex = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    hex = bytesToHex(generateSecretKey());
    // 'wx': two processes starting at once never overwrite each other's key
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
