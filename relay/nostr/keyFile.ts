import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import { generateSecretKey } from 'nostr-tools';
import { isHex64 } from './hex.ts';
import { publicKeyOf } from './publicKey.ts';

/** A signing key the relay keeps for one of its roles (a DVM, moderation, the commons). */
export interface KeyPair {
  sk: Uint8Array;
  pubkey: string;
}

/**
 * A secret key kept in one file: generated on first use (hex, mode 0600) and read back after, so a
 * role keeps one identity across restarts and across the relay and the CLI.
 */
export function loadOrCreateKeyFile(file: string): KeyPair {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let hex: string;
  try {
    hex = readFileSync(file, 'utf8').trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    hex = bytesToHex(generateSecretKey());
    // 'wx': two processes starting at once (the relay and a CLI command) never overwrite each other's key
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
  return { sk, pubkey: publicKeyOf(sk) };
}
