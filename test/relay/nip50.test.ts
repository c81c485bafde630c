import { describe, expect, it } from 'vitest';
import { Author } from '../helpers/client.ts';
import { protocolHarness } from './setup.ts';

const h = protocolHarness();
const T = 1_700_000_000;

describe('NIP-50 search', () => {
  it('matches every query word, ranks by relevance, applies limit after ranking, and ignores extensions', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const weak = a.sign({ content: 'Tomato season: one tomato plant survived the garden slugs', created_at: T + 3 });
    const strong = a.sign({ content: 'tomato tomato tomato! My tomato garden is all tomato.', created_at: T + 1 });
    const phrase = a.sign({ content: 'My tomato garden is ripe', created_at: T + 2 });
    const unrelated = a.sign({ content: 'potatoes in the garden', created_at: T + 4 });
    for (const e of [weak, strong, phrase, unrelated]) await c.publish(e);
    const ids = async (f: object) => (await c.req('s', f)).events.map((e) => e.id);
    expect(await ids({ search: 'tomato garden' })).toEqual([strong.id, phrase.id, weak.id]);
    expect(await ids({ search: 'TOMATO Garden language:en include:spam', limit: 1 })).toEqual([strong.id]);
    expect(await ids({ search: 'potatoes' })).toEqual([unrelated.id]);
    expect(await ids({ search: 'nothing-like-this' })).toEqual([]);
  });

  it('combines search with the other filter fields and matches live events', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const b = new Author();
    await c.publish(a.sign({ content: 'compost tips' }));
    await c.publish(b.sign({ content: 'compost questions' }));
    expect((await c.req('s', { search: 'compost', authors: [b.pubkey] })).events.map((e) => e.content)).toEqual(['compost questions']);
    expect((await c.req('live', { search: 'compost', kinds: [1], limit: 0 })).events).toEqual([]);
    const sender = await h.raw(r);
    await sender.publish(a.sign({ content: 'nothing to see' }));
    const hit = a.sign({ content: 'more compost' });
    await sender.publish(hit);
    expect((await c.next((f) => f[0] === 'EVENT'))[2]).toEqual(hit);
  });

  it('does not index encrypted kinds and refuses search when disabled', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    await c.publish(new Author().sign({ kind: 4, tags: [['p', new Author().pubkey]], content: 'plaintextword?iv=abc' }));
    expect((await c.req('s', { search: 'plaintextword' })).events).toEqual([]);
    const off = await h.relay({ nips: { search: false } });
    const c2 = await h.raw(off);
    expect((await c2.req('s', { search: 'x' })).closed).toBe('invalid: search (NIP-50) is not enabled on this relay');
  });
});
