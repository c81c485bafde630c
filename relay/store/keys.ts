import { sha256 } from '@noble/hashes/sha2.js';

/**
 * Index keys. Every index key ends in created_at (8 bytes, big-endian) and the record serial
 * (4 bytes), so since/until/limit become one reverse range read per prefix.
 */
export const TAIL_BYTES = 12;
const MAX_SERIAL = 0xffffffff;
const MAX_TS = 2 ** 53 - 1;

function writeTs(buf: Buffer, at: number, ts: number): void {
  const t = Math.min(Math.max(Math.floor(ts), 0), MAX_TS);
  buf.writeUInt32BE(Math.floor(t / 2 ** 32), at);
  buf.writeUInt32BE(t >>> 0, at + 4);
}

export function readTs(buf: Buffer, at: number): number {
  return buf.readUInt32BE(at) * 2 ** 32 + buf.readUInt32BE(at + 4);
}

/** prefix ‖ created_at ‖ serial */
export function indexKey(prefix: Buffer, createdAt: number, serial: number): Buffer {
  const key = Buffer.allocUnsafe(prefix.length + TAIL_BYTES);
  prefix.copy(key, 0);
  writeTs(key, prefix.length, createdAt);
  key.writeUInt32BE(serial, prefix.length + 8);
  return key;
}

/** Range bounds for a reverse scan of one prefix over [since, until]. */
export function rangeBounds(prefix: Buffer, since: number | undefined, until: number | undefined): { start: Buffer; end: Buffer } {
  const start = indexKey(prefix, until ?? MAX_TS, MAX_SERIAL);
  const end = Buffer.allocUnsafe(prefix.length + 8);
  prefix.copy(end, 0);
  writeTs(end, prefix.length, since ?? 0);
  return { start, end };
}

export function serialOf(key: Buffer): number {
  return key.readUInt32BE(key.length - 4);
}
export function createdAtOf(key: Buffer): number {
  return readTs(key, key.length - TAIL_BYTES);
}

export const hexBytes = (hex: string): Buffer => Buffer.from(hex, 'hex');

export function u16(n: number): Buffer {
  const b = Buffer.allocUnsafe(2);
  b.writeUInt16BE(n);
  return b;
}

const HEX64 = /^[0-9a-f]{64}$/;

/** A tag value as a fixed prefix: 64-hex values as 32 bytes, others length-prefixed (hashed when long). */
export function tagValueBytes(value: string): Buffer {
  if (value.length === 64 && HEX64.test(value)) return Buffer.concat([Buffer.from([1]), Buffer.from(value, 'hex')]);
  const utf8 = Buffer.from(value, 'utf8');
  if (utf8.length <= 200) return Buffer.concat([Buffer.from([0, utf8.length]), utf8]);
  return Buffer.concat([Buffer.from([2]), Buffer.from(sha256(utf8))]);
}

export const tagPrefix = (letter: string, value: string): Buffer => Buffer.concat([Buffer.from(letter, 'latin1'), tagValueBytes(value)]);
export const pubkeyKindPrefix = (pubkey: string, kind: number): Buffer => Buffer.concat([hexBytes(pubkey), u16(kind)]);
export const tokenPrefix = (token: string): Buffer => {
  const utf8 = Buffer.from(token, 'utf8');
  return Buffer.concat([Buffer.from([utf8.length]), utf8]);
};

/** Replaceable/addressable slot: pubkey ‖ kind ‖ d. */
export const addressKey = (pubkey: string, kind: number, d: string): Buffer =>
  Buffer.concat([hexBytes(pubkey), u16(kind), tagValueBytes(d)]);

export function serialBytes(serial: number): Buffer {
  const b = Buffer.allocUnsafe(4);
  b.writeUInt32BE(serial);
  return b;
}

export function tsBytes(ts: number): Buffer {
  const b = Buffer.allocUnsafe(8);
  writeTs(b, 0, ts);
  return b;
}
