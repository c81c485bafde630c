import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { generateSecretKey, getPublicKey } from 'nostr-tools';

export interface LabelerKey {
  sk: Uint8Array;
  pubkey: string;
}

/**
 * The village's labeler key: generated on first start (hex, mode 0600) and read back on every
 * later one, so the labels keep one author that feeds, policies and clients can trust.
 */
export function loadOrCreateLabelerKey(file: string): LabelerKey {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let hex: string;
  try {
    hex = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    hex = bytesToHex(generateSecretKey());
    try {
      // 'wx': a second process starting at once never overwrites the first one's key
      writeFileSync(file, hex + '\n', { mode: 0o600, flag: 'wx' });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      hex = readFileSync(file, 'utf8').trim();
    }
    chmodSync(file, 0o600);
  }
  if (!/^[0-9a-f]{64}$/.test(hex)) throw new Error(`${file} does not hold a 64-hex-digit secret key`);
  const sk = hexToBytes(hex);
  return { sk, pubkey: getPublicKey(sk) };
}
