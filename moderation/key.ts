import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { generateSecretKey, getPublicKey } from 'nostr-tools';
import type { Config } from '../config/schema.ts';
import { isHex64 } from '../relay/nostr/hex.ts';

export interface ModerationKey {
  sk: Uint8Array;
  pubkey: string;
}

/** moderation.keyFile, or <storage.dataDir>/moderation.key. */
export const moderationKeyFile = (config: Pick<Config, 'moderation' | 'storage'>): string =>
  config.moderation.keyFile || join(config.storage.dataDir, 'moderation.key');

/**
 * The relay's moderation key signs decisions, receipts and notices, so members can check that a
 * decision is the village's. Generated on first start (hex, mode 0600) and read back after, so
 * the village keeps one moderation identity across restarts and across the CLI and the relay.
 */
export function loadOrCreateModerationKey(file: string): ModerationKey {
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
