import { NegentropyStorageVector } from './negentropy.ts';
import type { Filter } from '../nostr/types.ts';
import type { Store } from '../store/store.ts';
import type { Tables } from '../store/env.ts';
import { matchingWork, queryFilterWork, type ReadContext } from '../store/query.ts';
import { drive, Meter, PAUSE, type Work } from '../store/work.ts';

/**
 * The sealed negentropy set (created_at, id) of the records matching any filter that this
 * reader may see, or 'too-many' past `max` records. A filter with a limit keeps its newest.
 * Stops early when the meter runs over its budget (the caller checks `meter.over`).
 */
export function* recordSetWork(t: Tables, filters: Filter[], ctx: ReadContext, max: number, meter: Meter): Work<NegentropyStorageVector | 'too-many'> {
  const storage = new NegentropyStorageVector();
  // Duplicates can only come from several filters (a policy's rewrite).
  const seen = filters.length > 1 ? new Set<string>() : undefined;
  let count = 0;
  // Oldest first, the order seal() sorts into: sorting what is already in order is cheap.
  const ascending: ReadContext = { ...ctx, order: 'oldest' };
  for (const f of filters) {
    if (meter.over) break;
    const records = f.limit !== undefined ? (yield* queryFilterWork(t, f, ctx, meter)).reverse() : matchingWork(t, f, ascending, meter, { transient: true });
    for (const rec of records) {
      if (rec === PAUSE) {
        yield PAUSE;
        continue;
      }
      if (seen) {
        const id = rec.id;
        if (seen.has(id)) continue;
        seen.add(id);
      }
      if (count >= max) return 'too-many';
      count++;
      // Straight into the vector (insert() would validate hex again). A fresh 32-byte array:
      // the fingerprint reads ids through their whole underlying buffer.
      storage.items.push({ timestamp: rec.createdAt, id: rec.idBytes() });
    }
  }
  storage.seal();
  return storage;
}

/** The whole set, without a work budget, read in slices that let the event loop run (the sync client). */
export function recordSet(store: Store, filters: Filter[], ctx: ReadContext, max: number): Promise<NegentropyStorageVector | 'too-many'> {
  return drive(recordSetWork(store.tables, filters, ctx, max, new Meter()));
}
