import { describe, expect, it } from 'vitest';
import type { Filter, NostrEvent } from '../../relay/nostr/types.ts';
import type { Store } from '../../relay/store/store.ts';
import { plan } from '../../relay/store/planner.ts';
import { queryWork } from '../../relay/store/query.ts';
import { finish, Meter } from '../../relay/store/work.ts';
import { fakeEvent, storeAll } from '../sync/helpers.ts';
import { tempStores } from './tempStores.ts';

/** The planner scans the candidate index with the fewest entries, counted per key in LMDB. */
const stores = tempStores('planner');

async function storeWith(events: NostrEvent[]): Promise<Store> {
  const store = stores.open();
  await storeAll(store, events);
  return store;
}

const tags = (f: Record<string, string[]>): Filter => ({ tags: new Map(Object.entries(f)) });
const nameOf = (store: Store, f: Filter): string => {
  const p = plan(store.tables, f);
  return p.kind === 'scan' ? p.name : p.kind;
};

describe('query planner', () => {
  it('scans the rarer tag whatever the order of the filter, and answers nothing for a tag with no entries', async () => {
    const t0 = 1_700_000_000;
    const store = await storeWith(Array.from({ length: 300 }, (_, i) => fakeEvent(t0 + i, 1, [['t', 'common'], ['r', i % 30 === 0 ? 'rare' : 'other']])));
    expect(nameOf(store, tags({ t: ['common'], r: ['rare'] }))).toBe('tag:r');
    expect(nameOf(store, tags({ r: ['rare'], t: ['common'] }))).toBe('tag:r');
    expect(nameOf(store, tags({ t: ['common'], q: ['nothing'] }))).toBe('nothing');
    // A kind every event has loses to the rare tag; a kind none has means nothing.
    expect(nameOf(store, { kinds: [1], ...tags({ r: ['rare'] }) })).toBe('tag:r');
    expect(nameOf(store, { kinds: [7], ...tags({ t: ['common'] }) })).toBe('nothing');
    const answer = finish(queryWork(store.tables, [tags({ t: ['common'], r: ['rare'] })], { now: t0 + 1000 }, new Meter()));
    expect(answer).toHaveLength(10);
  });

  it('scans the rarest search word, and ranks a search over ids by score', async () => {
    const t0 = 1_700_000_000;
    const events = Array.from({ length: 60 }, (_, i) => ({ ...fakeEvent(t0 + i), content: i === 20 ? 'village owl owl owl' : i % 20 === 0 ? 'village owl' : 'village news' }));
    const store = await storeWith(events);
    // Until their words are indexed, every stored note is a candidate for any word.
    expect(nameOf(store, { search: 'village zebra' })).toBe('word');
    await store.wordsIndexed();
    const p = plan(store.tables, { search: 'village owl' });
    expect(p.kind === 'scan' && p.word).toBe('owl');
    expect(nameOf(store, { search: 'village zebra' })).toBe('nothing');
    // ids plan: the score still orders the answer (the older note says owl three times).
    const ids = [events[1]!.id, events[20]!.id, events[40]!.id];
    const ranked = finish(queryWork(store.tables, [{ ids, search: 'village owl' }], { now: t0 + 1000 }, new Meter()));
    expect(ranked.map((r) => r.id)).toEqual([events[20]!.id, events[40]!.id]);
    const byWords = finish(queryWork(store.tables, [{ ids, search: 'owl' }, { search: 'news', limit: 1 }], { now: t0 + 1000 }, new Meter()));
    expect(byWords.map((r) => r.id)).toEqual([events[59]!.id, events[40]!.id, events[20]!.id]);
  });

  it('stops a read over its budget and says so', async () => {
    const t0 = 1_700_000_000;
    const store = await storeWith(Array.from({ length: 500 }, (_, i) => fakeEvent(t0 + i, 1, [['t', 'common'], ['r', 'shared']])));
    const under = new Meter(10_000);
    expect(finish(queryWork(store.tables, [{ kinds: [1], limit: 5000 }], { now: t0 + 1000 }, under))).toHaveLength(500);
    expect(under.over).toBe(false);
    // Two tags: every candidate is decoded and counts 11.
    const over = new Meter(1000);
    const partial = finish(queryWork(store.tables, [{ limit: 5000, ...tags({ t: ['common'], r: ['shared'] }) }], { now: t0 + 1000 }, over));
    expect(over.over).toBe(true);
    expect(partial.length).toBeGreaterThan(0);
    expect(partial.length).toBeLessThan(100);
  });
});
