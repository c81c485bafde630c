import type { Tables } from './env.ts';
import { entryValue, serialBytes } from './keys.ts';
import { StoredRecord } from './record.ts';

/**
 * The NIP-50 word index is the largest (every event has a dozen or more words), so its values are
 * 4-byte serials, half the other indexes' created_at ‖ serial. Time order comes from the key:
 * token ‖ 0x00 ‖ created_at bucket (u24, BUCKET_SECONDS wide); within a bucket the scan reads the
 * records' created_at and sorts, so its order is as exact as the other indexes'. A search reads
 * and scores its candidate records anyway, so loading a bucket's records costs little more.
 */
const BUCKET_SHIFT = 12;
const MAX_U32 = 0xffffffff;
const bucketOf = (ts: number): number => Math.min(Math.max(Math.floor(ts), 0), MAX_U32) >>> BUCKET_SHIFT;

function bucketKey(token: string, bucket: number): Buffer {
  const len = Buffer.byteLength(token);
  const key = Buffer.allocUnsafe(len + 4);
  key.write(token, 0, len, 'utf8');
  // Tokens are letters and digits, never 0x00: it ends the token, so "ov" never reads into "over".
  key[len] = 0;
  key.writeUIntBE(bucket, len + 1, 3);
  return key;
}

/** The word entry of one event: (key, value). */
export const wordEntry = (token: string, createdAt: number, serial: number): [Buffer, Buffer] => [bucketKey(token, bucketOf(createdAt)), serialBytes(serial)];

/**
 * Entries (created_at ‖ serial values, as the other indexes give) of a word with created_at in
 * [since, until], newest or oldest first.
 */
export function* scanWord(t: Tables, token: string, since: number | undefined, until: number | undefined, newestFirst: boolean): Generator<Buffer> {
  const lo = bucketKey(token, bucketOf(since ?? 0));
  const hi = bucketKey(token, bucketOf(until ?? MAX_U32));
  const keys = newestFirst ? t.words.getKeys({ start: hi, end: lo, reverse: true, inclusiveEnd: true }) : t.words.getKeys({ start: lo, end: hi, inclusiveEnd: true });
  for (const key of keys as Iterable<Buffer>) {
    const entries: [number, number][] = [];
    for (const value of t.words.getValues(key)) {
      const serial = value.readUInt32BE(0);
      const buf = t.events.get(serial);
      if (!buf) continue;
      const createdAt = new StoredRecord(buf, serial).createdAt;
      if ((since !== undefined && createdAt < since) || (until !== undefined && createdAt > until)) continue;
      entries.push([createdAt, serial]);
    }
    entries.sort(newestFirst ? (a, b) => b[0] - a[0] || b[1] - a[1] : (a, b) => a[0] - b[0] || a[1] - b[1]);
    for (const [createdAt, serial] of entries) yield entryValue(createdAt, serial);
  }
}
