import type { Tables } from './env.ts';
import { idKey } from './keys.ts';
import { StoredRecord } from './record.ts';

function load(t: Tables, value: Buffer, id: string): StoredRecord | undefined {
  const serial = value.readUInt32BE(0);
  const buf = t.events.get(serial);
  if (!buf) return undefined;
  const rec = new StoredRecord(buf, serial);
  return rec.idEquals(id) ? rec : undefined;
}

/** The record with this id: the `ids` key is an 8-byte prefix, so the full id is compared. */
export function loadById(t: Tables, id: string): StoredRecord | undefined {
  if (id.length !== 64) return undefined;
  const key = idKey(id);
  // Nearly every prefix has one event: a plain get (the first value) is cheaper than a cursor.
  const first = t.ids.get(key);
  if (!first) return undefined;
  const rec = load(t, first, id);
  if (rec) return rec;
  for (const value of t.ids.getValues(key)) {
    const other = load(t, value, id);
    if (other) return other;
  }
  return undefined;
}
