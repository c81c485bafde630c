import type { Tables } from './env.ts';
import { idKey } from './keys.ts';
import { StoredRecord } from './record.ts';

/** The record with this id: the `ids` key is an 8-byte prefix, so the full id is compared. */
export function loadById(t: Tables, id: string): StoredRecord | undefined {
  if (id.length !== 64) return undefined;
  for (const value of t.ids.getValues(idKey(id))) {
    const serial = value.readUInt32BE(0);
    const buf = t.events.get(serial);
    if (!buf) continue;
    const rec = new StoredRecord(buf, serial);
    if (rec.idEquals(id)) return rec;
  }
  return undefined;
}
