import { NegentropyStorageVector } from './negentropy.ts';
import type { Filter } from '../nostr/types.ts';
import type { Store } from '../store/store.ts';
import { matching, queryFilter, type ReadContext } from '../store/query.ts';

/** Records read between yields to the event loop while a large set is gathered. */
const CHUNK = 20_000;

/**
 * The sealed negentropy set (created_at, id) of the records matching any filter that this
 * reader may see, or 'too-many' past `max` records. A filter with a limit keeps its newest.
 */
export async function recordSet(store: Store, filters: Filter[], ctx: ReadContext, max: number): Promise<NegentropyStorageVector | 'too-many'> {
  const storage = new NegentropyStorageVector();
  // Duplicates can only come from several filters (a policy's rewrite).
  const seen = filters.length > 1 ? new Set<string>() : undefined;
  let count = 0;
  let sinceYield = 0;
  for (const f of filters) {
    const records = f.limit !== undefined ? queryFilter(store.tables, f, ctx) : matching(store.tables, f, { ...ctx, maxScan: Infinity });
    for (const rec of records) {
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
      if (++sinceYield >= CHUNK) {
        sinceYield = 0;
        await new Promise((r) => setImmediate(r));
      }
    }
  }
  storage.seal();
  return storage;
}
