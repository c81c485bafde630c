import type { Tables } from './env.ts';
import { serialBytes } from './keys.ts';
import type { StoredRecord } from './record.ts';
import { peekRecord } from './peek.ts';
import { PAUSE, type Meter, type Pause } from './work.ts';
import { lastSerial, readWordsThrough } from './wordsThrough.ts';

/**
 * The NIP-50 word index is the largest (every event has a dozen or more words), so its values are
 * 4-byte serials, half the other indexes' created_at ‖ serial. Time order comes from the key:
 * hash(token) (u32) ‖ created_at bucket (u24, 2^BUCKET_SHIFT seconds); within a bucket the scan
 * reads the records' created_at and sorts, so its order is as exact as the other indexes'. A
 * search reads and scores its candidate records anyway, so loading a bucket's records costs
 * little more. Two words may share a hash: the search scorer (query.ts) drops the other word's
 * events, as it drops events that lack any other word of the query.
 */
const BUCKET_SHIFT = 12;
const MAX_U32 = 0xffffffff;
const bucketOf = (ts: number): number => Math.min(Math.max(Math.floor(ts), 0), MAX_U32) >>> BUCKET_SHIFT;

/** FNV-1a (32-bit) over the token's UTF-16 code units: fast, and fixed forever (it is on disk). */
export function wordHash(token: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

function bucketKey(token: string, bucket: number): Buffer {
  const key = Buffer.allocUnsafe(7);
  key.writeUInt32BE(wordHash(token), 0);
  key.writeUIntBE(bucket, 4, 3);
  return key;
}

/** The word entry of one event: (key, value). */
export const wordEntry = (token: string, createdAt: number, serial: number): [Buffer, Buffer] => [bucketKey(token, bucketOf(createdAt)), serialBytes(serial)];

const newer = (a: [number, number], b: [number, number]): number => b[0] - a[0] || b[1] - a[1];
const older = (a: [number, number], b: [number, number]): number => a[0] - b[0] || a[1] - b[1];

/**
 * The records of a word with created_at in [since, until], newest or oldest first (ties by
 * serial, as the other indexes order them), and the records stored since the word index was last
 * brought up to date (wordsThrough.ts), read one by one in serial order: before the indexed ones
 * when newest first (they are the newest events), after them when oldest first. Records, not
 * index values: they are read here, each charged to the meter, with a pause point between any
 * two (a bucket can hold thousands). The records are peeked (peek.ts): each is valid until the
 * caller asks for the next.
 */
export function* scanWord(
  t: Tables,
  token: string,
  since: number | undefined,
  until: number | undefined,
  newestFirst: boolean,
  meter: Meter,
): Generator<StoredRecord | Pause, void, void> {
  const through = readWordsThrough(t);
  if (newestFirst) yield* unindexed(t, through, newestFirst, meter);
  const { lo, hi } = bucketRange(token, since, until);
  const keys = newestFirst ? t.words.getKeys({ start: hi, end: lo, reverse: true, inclusiveEnd: true }) : t.words.getKeys({ start: lo, end: hi, inclusiveEnd: true });
  for (const key of keys as Iterable<Buffer>) {
    // (created_at, serial) of the bucket's records in range, ordered, then read again one by one.
    const found: [number, number][] = [];
    for (const value of t.words.getValues(key)) {
      meter.charge(1);
      if (meter.due()) {
        if (meter.over) return;
        yield PAUSE;
      }
      const serial = value.readUInt32BE(0);
      // An older Hamlet may have indexed a record above the mark: it is read with the unindexed.
      if (serial > through) continue;
      const createdAt = peekRecord(t, serial)?.createdAt;
      if (createdAt === undefined || (since !== undefined && createdAt < since) || (until !== undefined && createdAt > until)) continue;
      found.push([createdAt, serial]);
    }
    found.sort(newestFirst ? newer : older);
    for (const [, serial] of found) {
      const rec = peekRecord(t, serial);
      if (rec) yield rec;
    }
  }
  if (!newestFirst) yield* unindexed(t, through, newestFirst, meter);
}

function bucketRange(token: string, since: number | undefined, until: number | undefined): { lo: Buffer; hi: Buffer } {
  return { lo: bucketKey(token, bucketOf(since ?? 0)), hi: bucketKey(token, bucketOf(until ?? MAX_U32)) };
}

/**
 * Entries under a word in [since, until]'s buckets: one count per bucket key (LMDB keeps each
 * key's count), so the planner can tell a rare word from a common one cheaply.
 */
export function wordCount(t: Tables, token: string, since: number | undefined, until: number | undefined): number {
  const { lo, hi } = bucketRange(token, since, until);
  return t.words.getCount({ start: lo, end: hi, inclusiveEnd: true });
}

/** The records above the mark, each charged to the meter like an index entry. */
function* unindexed(t: Tables, through: number, newestFirst: boolean, meter: Meter): Generator<StoredRecord | Pause, void, void> {
  const last = lastSerial(t);
  for (let i = 0; i < last - through; i++) {
    meter.charge(1);
    if (meter.due()) {
      if (meter.over) return;
      yield PAUSE;
    }
    const rec = peekRecord(t, newestFirst ? last - i : through + 1 + i);
    if (rec) yield rec;
  }
}
