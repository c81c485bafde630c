import { describe, expect, it } from 'vitest';
import { protocolHarness } from './setup.ts';
import { Author, now, until, type RawClient } from '../helpers/client.ts';
import { fakeEvent, reconcile, storeAll } from '../sync/helpers.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { readsWaiting } from '../../relay/protocol/readQueue.ts';

/**
 * Fair reads (issue 16): stored-event reads run in slices, one per connection at a time, so a
 * neighbour's cheap REQ is answered while an expensive read is under way; reads over their work
 * budget end with CLOSED (NEG-ERR) "blocked:"; the planner finds a tag that matches nothing cheaply.
 */
const h = protocolHarness();

/** `n` stored notes one second apart, newest first in the returned order; every one tagged t=common. */
async function seed(store: Parameters<typeof storeAll>[0], n: number, tags: (i: number) => string[][] = () => [['t', 'common']]): Promise<NostrEvent[]> {
  const t0 = now() - n - 10;
  const events = Array.from({ length: n }, (_, i) => fakeEvent(t0 + i, 1, tags(i)));
  await storeAll(store, events);
  return events.reverse();
}

/** Frames of one subscription up to its EOSE or CLOSED, in arrival order. */
async function answer(c: RawClient, subId: string, ms = 60_000): Promise<{ events: NostrEvent[]; end: 'EOSE' | 'CLOSED'; reason?: string }> {
  const events: NostrEvent[] = [];
  for (;;) {
    const f = await c.next((f) => f[1] === subId && (f[0] === 'EVENT' || f[0] === 'EOSE' || f[0] === 'CLOSED'), ms);
    if (f[0] === 'EVENT') events.push(f[2] as NostrEvent);
    else return { events, end: f[0] as 'EOSE' | 'CLOSED', reason: f[2] as string | undefined };
  }
}

/** A read that takes many slices: 20 filters whose candidates must all be decoded (two tags each). */
const expensive = Array.from({ length: 20 }, (_, i) => ({ '#t': ['common'], '#r': ['shared'], since: i, limit: 5000 }));
const HEAVY_EVENTS = 6000;
/** Two thirds of the heavy seed carry r=shared: what the expensive read finds. */
const heavyTags = (i: number): string[][] => [['t', 'common'], ['r', i % 3 ? 'shared' : 'other']];

describe('fair reads', () => {
  it('ends an over-budget REQ with what it found, then CLOSED blocked: instead of EOSE; the subscription is not live', async () => {
    const r = await h.relay({ limits: { maxQueryCost: 1000 } });
    const stored = await seed(r.relay.store, 1500);
    const c = await h.raw(r);
    c.send(['REQ', 'big', { kinds: [1], limit: 5000 }]);
    const big = await answer(c, 'big');
    expect(big.end).toBe('CLOSED');
    expect(big.reason).toMatch(/^blocked: query too expensive/);
    // The newest matches, in order, as far as the budget went.
    expect(big.events.length).toBeGreaterThan(0);
    expect(big.events.length).toBeLessThan(1500);
    expect(big.events.map((e) => e.id)).toEqual(stored.slice(0, big.events.length).map((e) => e.id));
    // Narrowed with since, the same filter fits the budget.
    const small = await answer((c.send(['REQ', 'small', { kinds: [1], since: stored[499]!.created_at, limit: 5000 }]), c), 'small');
    expect(small.end).toBe('EOSE');
    expect(small.events.length).toBe(500);
    // The closed subscription does not receive new events; the open one does.
    const fresh = new Author().sign({ kind: 1, created_at: now() });
    expect((await c.publish(fresh))[0]).toBe(true);
    expect((await c.next((f) => f[0] === 'EVENT' && f[1] === 'small'))[2]).toMatchObject({ id: fresh.id });
    expect(c.pending().filter((f) => f[1] === 'big')).toEqual([]);
  });

  it('refuses an over-budget COUNT with CLOSED blocked: and counts one under it', async () => {
    const r = await h.relay({ limits: { maxCountScan: 1000 } });
    const stored = await seed(r.relay.store, 1500);
    const c = await h.raw(r);
    c.send(['COUNT', 'all', {}]);
    const all = await c.next((f) => f[1] === 'all');
    expect(all[0]).toBe('CLOSED');
    expect(all[2]).toMatch(/^blocked: query too expensive/);
    c.send(['COUNT', 'some', { since: stored[299]!.created_at }]);
    expect(await c.next((f) => f[1] === 'some')).toEqual(['COUNT', 'some', { count: 300 }]);
  });

  it('refuses an over-budget NEG-OPEN with NEG-ERR blocked:', async () => {
    const r = await h.relay({ limits: { maxCountScan: 1000 } });
    await seed(r.relay.store, 600, (i) => [['t', 'common'], ['r', i % 2 ? 'shared' : 'other']]);
    const c = await h.raw(r);
    // Two tags: every candidate is decoded (11 each), 600 of them is over 1000.
    const over = await reconcile(c, 'two-tags', { '#t': ['common'], '#r': ['shared'] }, []);
    expect(over.error).toMatch(/^blocked: query too expensive/);
    const under = await reconcile(c, 'one-tag', { '#r': ['shared'] }, []);
    expect(under.error).toBeUndefined();
    expect(under.need.length).toBe(300);
  });

  it('answers a tag that matches nothing without scanning the common one', async () => {
    // Under a budget of 1000, scanning 1500 t=common events and decoding each would be refused.
    const r = await h.relay({ limits: { maxQueryCost: 1000 } });
    await seed(r.relay.store, 1500);
    const c = await h.raw(r);
    const filters = Array.from({ length: 20 }, (_, i) => ({ '#t': ['common'], '#q': [`nothing-${i}`] }));
    expect(await answer((c.send(['REQ', 'none', ...filters]), c), 'none')).toEqual({ events: [], end: 'EOSE', reason: undefined });
    c.send(['COUNT', 'none', ...filters]);
    expect(await c.next((f) => f[1] === 'none')).toEqual(['COUNT', 'none', { count: 0 }]);
  });

  it("answers a neighbour's REQ by id while another connection's expensive read is under way", async () => {
    const r = await h.relay({ limits: { querySliceMs: 1, maxQueryCost: 100_000_000 } });
    const stored = await seed(r.relay.store, HEAVY_EVENTS, heavyTags);
    const attacker = await h.raw(r);
    const neighbour = await h.raw(r);
    const arrivals: string[] = [];
    attacker.ws.on('message', (d) => String(d).startsWith('["EOSE"') && arrivals.push('attacker'));
    neighbour.ws.on('message', (d) => String(d).startsWith('["EOSE"') && arrivals.push('neighbour'));
    attacker.send(['REQ', 'heavy', ...expensive]);
    // The heavy read has had its first slice and waits for its next turn.
    await until(() => readsWaiting() > 0);
    const mine = await neighbour.req('byid', { ids: [stored[1234]!.id] });
    expect(mine.events.map((e) => e.id)).toEqual([stored[1234]!.id]);
    const heavy = await answer(attacker, 'heavy');
    expect(heavy.end).toBe('EOSE');
    expect(heavy.events.length).toBe(4000);
    expect(arrivals).toEqual(['neighbour', 'attacker']);
  });

  it('runs one read at a time per connection, in the order sent', async () => {
    const r = await h.relay({ limits: { querySliceMs: 1, maxQueryCost: 100_000_000 } });
    const stored = await seed(r.relay.store, HEAVY_EVENTS, heavyTags);
    const c = await h.raw(r);
    const ends: unknown[] = [];
    c.ws.on('message', (d) => {
      const f = JSON.parse(String(d)) as unknown[];
      if (f[0] === 'EOSE' || f[0] === 'COUNT') ends.push(f[1]);
    });
    c.send(['REQ', 'heavy', ...expensive]);
    c.send(['COUNT', 'cheap-count', { ids: [stored[0]!.id] }]);
    c.send(['REQ', 'cheap', { ids: [stored[0]!.id] }]);
    await answer(c, 'cheap');
    expect(ends).toEqual(['heavy', 'cheap-count', 'cheap']);
  });

  it('stops a read under way on CLOSE: no events, no EOSE, and the connection goes on', async () => {
    const r = await h.relay({ limits: { querySliceMs: 1, maxQueryCost: 100_000_000 } });
    const stored = await seed(r.relay.store, HEAVY_EVENTS, heavyTags);
    const c = await h.raw(r);
    c.send(['REQ', 'heavy', ...expensive]);
    await until(() => readsWaiting() > 0);
    c.send(['CLOSE', 'heavy']);
    const next = await c.req('after', { ids: [stored[0]!.id] });
    expect(next.events).toHaveLength(1);
    await until(() => readsWaiting() === 0);
    expect(c.pending().filter((f) => f[1] === 'heavy')).toEqual([]);
  });

  it('delivers an event published during a long read once, after EOSE if the stored answer missed it', async () => {
    const r = await h.relay({ limits: { querySliceMs: 1, maxQueryCost: 100_000_000 } });
    await seed(r.relay.store, HEAVY_EVENTS, heavyTags);
    const c = await h.raw(r);
    const publisher = await h.raw(r);
    c.send(['REQ', 'heavy', ...expensive]);
    await until(() => readsWaiting() > 0);
    const fresh = new Author().sign({ kind: 1, created_at: now(), tags: [['t', 'common'], ['r', 'shared']] });
    expect((await publisher.publish(fresh))[0]).toBe(true);
    const heavy = await answer(c, 'heavy');
    expect(heavy.end).toBe('EOSE');
    // Frames are sent in order: once this later REQ is answered, anything held for 'heavy' has arrived.
    await c.req('after', { ids: [fresh.id] });
    const live = c.pending().filter((f) => f[0] === 'EVENT' && f[1] === 'heavy' && (f[2] as NostrEvent).id === fresh.id);
    expect(heavy.events.filter((e) => e.id === fresh.id).length + live.length).toBe(1);
  });
});
