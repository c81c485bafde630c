import { describe, expect, it } from 'vitest';
import { Author } from '../helpers/client.ts';
import { protocolHarness } from './setup.ts';

const h = protocolHarness();
const T = 1_700_000_000;

describe('replaceable, addressable and ephemeral kinds', () => {
  it('keeps only the newest replaceable event per (pubkey, kind) and refuses older ones', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const v1 = a.sign({ kind: 0, content: '{"name":"v1"}', created_at: T });
    const v2 = a.sign({ kind: 0, content: '{"name":"v2"}', created_at: T + 10 });
    expect(await c.publish(v1)).toEqual([true, '']);
    expect(await c.publish(v2)).toEqual([true, '']);
    expect((await c.req('s', { kinds: [0], authors: [a.pubkey] })).events).toEqual([v2]);
    expect((await c.req('s2', { ids: [v1.id] })).events).toEqual([]);
    const older = a.sign({ kind: 0, content: '{"name":"late"}', created_at: T + 5 });
    expect(await c.publish(older)).toEqual([false, 'duplicate: have a newer version of this replaceable event']);
    // A different replaceable kind of the same author is its own slot.
    const list = a.sign({ kind: 10002, tags: [['r', 'wss://x']], created_at: T });
    expect((await c.publish(list))[0]).toBe(true);
    expect((await c.req('s3', { authors: [a.pubkey] })).events.map((e) => e.id)).toEqual([v2.id, list.id]);
  });

  it('breaks a same-second tie by the lowest id, whichever arrives first', async () => {
    for (const order of ['low-first', 'high-first']) {
      const r = await h.relay();
      const c = await h.raw(r);
      const a = new Author();
      const x = a.sign({ kind: 3, content: 'x', created_at: T });
      const y = a.sign({ kind: 3, content: 'y', created_at: T });
      const [low, high] = x.id < y.id ? [x, y] : [y, x];
      if (order === 'low-first') {
        expect(await c.publish(low)).toEqual([true, '']);
        expect((await c.publish(high))[0]).toBe(false);
      } else {
        expect(await c.publish(high)).toEqual([true, '']);
        expect(await c.publish(low)).toEqual([true, '']);
      }
      expect((await c.req('s', { kinds: [3], authors: [a.pubkey] })).events).toEqual([low]);
    }
  });

  it('keys addressable events on (kind, pubkey, first d); missing d equals ""', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const post1 = a.sign({ kind: 30023, tags: [['d', 'post'], ['d', 'ignored']], content: 'draft', created_at: T });
    const other = a.sign({ kind: 30023, tags: [['d', 'other']], content: 'other', created_at: T });
    const noD = a.sign({ kind: 30023, content: 'no d', created_at: T });
    const post2 = a.sign({ kind: 30023, tags: [['d', 'post']], content: 'final', created_at: T + 1 });
    const emptyD = a.sign({ kind: 30023, tags: [['d', '']], content: 'empty d', created_at: T + 1 });
    for (const e of [post1, other, noD, post2, emptyD]) expect((await c.publish(e))[0]).toBe(true);
    const { events } = await c.req('s', { kinds: [30023], authors: [a.pubkey] });
    expect(events.map((e) => e.content).sort()).toEqual(['empty d', 'final', 'other']);
    expect((await c.req('d', { kinds: [30023], '#d': ['post'] })).events).toEqual([post2]);
    // Another author's same d is a different address.
    expect((await c.publish(new Author().sign({ kind: 30023, tags: [['d', 'post']], created_at: T })))[0]).toBe(true);
    expect((await c.req('d2', { kinds: [30023], '#d': ['post'] })).events).toHaveLength(2);
  });

  it('broadcasts ephemeral events to live subscribers and never stores them', async () => {
    const r = await h.relay();
    const listener = await h.raw(r);
    await listener.req('live', { kinds: [20001] });
    const c = await h.raw(r);
    const e = new Author().sign({ kind: 20001, content: 'typing…' });
    expect(await c.publish(e)).toEqual([true, '']);
    expect((await listener.next((f) => f[0] === 'EVENT'))[2]).toEqual(e);
    expect((await c.req('later', { kinds: [20001] })).events).toEqual([]);
  });

  it('never stores or broadcasts kind 22242 sent with EVENT', async () => {
    const r = await h.relay();
    const listener = await h.raw(r);
    await listener.req('all', {});
    const c = await h.raw(r);
    const [ok, msg] = await c.publish(new Author().sign({ kind: 22242, tags: [['relay', r.url], ['challenge', 'x']] }));
    expect(ok).toBe(false);
    expect(msg).toMatch(/^invalid: /);
    expect((await c.req('s', { kinds: [22242] })).events).toEqual([]);
    expect(listener.pending().filter((f) => f[0] === 'EVENT')).toEqual([]);
  });
});
