import type { Tables } from './env.ts';
import { StoredRecord } from './record.ts';

/**
 * A record read without copying it: a view of lmdb-js's shared read buffer, valid only until the
 * next read on this thread. Scans examine most records only to drop them; copying each (as `get`
 * does) is an allocation outside the heap per record, and over a hundred thousand records the
 * collector then stops the thread for tens of milliseconds. Keep one with `stable`.
 */
export function peekRecord(t: Tables, serial: number): StoredRecord | undefined {
  const shared = t.events.getBinaryFast(serial);
  // lmdb-js sets `length` on its reusable buffer; subarray makes a plain view of that length.
  return shared && new StoredRecord(shared.subarray(0, shared.length), serial);
}

/** A copy of a peeked record that outlives the next read. */
export const stable = (rec: StoredRecord): StoredRecord => new StoredRecord(Buffer.from(rec.buf), rec.serial);
