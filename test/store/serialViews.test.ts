import { describe, expect, it } from 'vitest';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { Store } from '../../relay/store/store.ts';
import { scanIndex } from '../../relay/store/scan.ts';
import { entryValue, serialOf, u16 } from '../../relay/store/keys.ts';
import { fakeEvent, storeAll } from '../sync/helpers.ts';
import { queryStored, tempStores } from './tempStores.ts';

/**
 * Scans of one index key read each entry's serial through the table's serial view (env.ts),
 * several keys through the 8-byte values merged in time order: both must give the same answers.
 */
const stores = tempStores('serial-views');
const openStore = (): Store => stores.open();


describe('serial views of the index tables', () => {
  it('read every serial of the u32 range, in time order both ways', () => {
    const store = openStore();
    const t = store.tables;
    const kind = u16(7);
    // Serials with the top bit set and the largest one: a signed shift would turn these negative.
    const entries: [number, number][] = [[1_700_000_000, 1], [1_700_000_001, 2 ** 31], [1_700_000_002, 2 ** 32 - 1], [1_700_000_003, 0x00ff00ff]];
    t.env.transactionSync(() => {
      for (const [createdAt, serial] of entries) t.kinds.put(kind, entryValue(createdAt, serial));
    });
    const view = t.serialViews.get(t.kinds)!;
    expect(view).toBeDefined();
    const newest = [...scanIndex(view, kind, undefined, undefined, true)];
    expect(newest).toEqual(entries.map(([, s]) => s).reverse());
    expect([...scanIndex(view, kind, 1_700_000_001, 1_700_000_002, false)]).toEqual([2 ** 31, 2 ** 32 - 1]);
    // The same entries through the table itself: the 8-byte values' serials.
    expect([...scanIndex(t.kinds, kind, undefined, undefined, true)].map(serialOf)).toEqual(newest);
  });

  it('answer a filter on one key as the merge of several keys does', async () => {
    const store = openStore();
    const t0 = 1_700_000_000;
    const author = 'a'.repeat(64);
    // Many at the same second, so ties are ordered by id (NIP-01) in both paths.
    const events: NostrEvent[] = Array.from({ length: 120 }, (_, i) => ({ ...fakeEvent(t0 + (i % 40), i % 3 === 0 ? 1 : 7, [['t', i % 2 ? 'odd' : 'even']]), ...(i % 4 === 0 ? { pubkey: author } : {}) }));
    await storeAll(store, events);
    const absent = 'f'.repeat(64);
    for (const limit of [5, 40, 500]) {
      // One key: the serial view; two keys (one of them empty): the merge of the 8-byte values.
      expect(queryStored(store, { authors: [author], limit })).toEqual(queryStored(store, { authors: [author, absent], limit }));
      expect(queryStored(store, { kinds: [1], limit })).toEqual(queryStored(store, { kinds: [1, 9999], limit }));
      expect(queryStored(store, { tags: new Map([['t', ['odd']]]), limit })).toEqual(queryStored(store, { tags: new Map([['t', ['odd', 'none']]]), limit }));
    }
    expect(queryStored(store, { kinds: [1], limit: 500 })).toHaveLength(events.filter((e) => e.kind === 1).length);
    expect(queryStored(store, { authors: [author], limit: 500 })).toHaveLength(30);
  });
});
