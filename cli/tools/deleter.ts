import type { Filter } from '../../relay/nostr/types.ts';
import type { Store } from '../../relay/store/store.ts';
import type { StoredRecord } from '../../relay/store/record.ts';
import { scanRecords } from './records.ts';

export interface DeletePlan {
  matched: number;
  byKind: Record<number, number>;
}

/** Records removed per round; each round is a fresh query, so removals never race a scan. */
const ROUND = 5000;

/** What a delete would remove (held events included: they go too). */
export function planDelete(store: Store, f: Filter, each?: (rec: StoredRecord) => void): DeletePlan {
  const p: DeletePlan = { matched: 0, byKind: {} };
  for (const rec of scanRecords(store.tables, f, { includeHeld: true })) {
    p.matched++;
    p.byKind[rec.kind] = (p.byKind[rec.kind] ?? 0) + 1;
    each?.(rec);
  }
  return p;
}

/**
 * Removes every matching record and its index entries for good (no tombstone: an import
 * may bring an event back). Runs in rounds through the store's writer.
 */
export async function deleteMatching(store: Store, f: Filter, onProgress?: (deleted: number) => void): Promise<number> {
  let deleted = 0;
  // A filter with a limit names a fixed set: take it once.
  const once = f.limit !== undefined;
  for (let round = 0; round < 1_000_000; round++) {
    const ids: string[] = [];
    for (const rec of scanRecords(store.tables, f, { includeHeld: true })) {
      ids.push(rec.id);
      if (!once && ids.length >= ROUND) break;
    }
    if (ids.length === 0) break;
    const removed = await Promise.all(ids.map((id) => store.remove(id)));
    deleted += removed.filter(Boolean).length;
    onProgress?.(deleted);
    if (once || removed.every((r) => !r)) break;
  }
  return deleted;
}
