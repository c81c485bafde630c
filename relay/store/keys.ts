import { sha256 } from '@noble/hashes/sha2.js';
import { isHex64 } from '../nostr/hex.ts';

/**
 * Index tables are LMDB dupSort + dupFixed tables: the key is what a filter names (a kind, a
 * pubkey, a tag value), stored once; each event under it is one fixed 8-byte value,
 * created_at (u32, big-endian) ‖ serial (u32, big-endian), so values sort by time and
 * since/until/limit become one range read over the values of a key. (Words: words.ts.)
 */
export const VALUE_BYTES = 8;
const MAX_U32 = 0xffffffff;

/** created_at as stored in index values: whole seconds, clamped to u32 (readers re-check the record). */
const u32Ts = (ts: number): number => Math.min(Math.max(Math.floor(ts), 0), MAX_U32);

/** created_at ‖ serial */
export function entryValue(createdAt: number, serial: number): Buffer {
  const v = Buffer.allocUnsafe(VALUE_BYTES);
  v.writeUInt32BE(u32Ts(createdAt), 0);
  v.writeUInt32BE(serial, 4);
  return v;
}

/** Value bounds of [since, until], both inclusive: `newest` is where a newest-first scan starts. */
export function valueRange(since: number | undefined, until: number | undefined): { newest: Buffer; oldest: Buffer } {
  return { newest: entryValue(until ?? MAX_U32, MAX_U32), oldest: entryValue(since ?? 0, 0) };
}

export const serialOf = (value: Buffer): number => value.readUInt32BE(4);
export const createdAtOf = (value: Buffer): number => value.readUInt32BE(0);

/** The key of indexes over every event (created_at, NIP-40 expiry): one key, all values under it. */
export const ALL_KEY = Buffer.from([0]);

export const hexBytes = (hex: string): Buffer => Buffer.from(hex, 'hex');

/**
 * The `ids` key: the first 8 bytes of the id. Another id may share them (anyone can grind
 * 64-bit prefixes), so every lookup compares the full id in the record.
 */
export const ID_KEY_BYTES = 8;
export const idKey = (id: string): Buffer => Buffer.from(id.slice(0, 2 * ID_KEY_BYTES), 'hex');

export function u16(n: number): Buffer {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(n);
  return b;
}

/** A tag value as a fixed prefix: 64-hex values as 32 bytes, others length-prefixed (hashed when long). */
export function tagValueBytes(value: string): Buffer {
  if (isHex64(value)) return Buffer.concat([Buffer.from([1]), Buffer.from(value, 'hex')]);
  const utf8 = Buffer.from(value, 'utf8');
  if (utf8.length <= 200) return Buffer.concat([Buffer.from([0, utf8.length]), utf8]);
  return Buffer.concat([Buffer.from([2]), Buffer.from(sha256(utf8))]);
}

export const tagPrefix = (letter: string, value: string): Buffer => Buffer.concat([Buffer.from(letter, 'latin1'), tagValueBytes(value)]);
export const pubkeyKindPrefix = (pubkey: string, kind: number): Buffer => Buffer.concat([hexBytes(pubkey), u16(kind)]);

/** Replaceable/addressable slot: pubkey ‖ kind ‖ d. */
export const addressKey = (pubkey: string, kind: number, d: string): Buffer =>
  Buffer.concat([hexBytes(pubkey), u16(kind), tagValueBytes(d)]);

export function serialBytes(serial: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(serial);
  return b;
}

/** Timestamps in the tombstone tables (deleted addresses, vanished pubkeys): 8 bytes, big-endian. */
const MAX_TS = 2 ** 53 - 1;

export function tsBytes(ts: number): Buffer {
  const t = Math.min(Math.max(Math.floor(ts), 0), MAX_TS);
  const b = Buffer.allocUnsafe(8);
  b.writeUInt32BE(Math.floor(t / 2 ** 32), 0);
  b.writeUInt32BE(t >>> 0, 4);
  return b;
}

export function readTs(buf: Buffer, at: number): number {
  return buf.readUInt32BE(at) * 2 ** 32 + buf.readUInt32BE(at + 4);
}
