import { describe, expect, it } from 'vitest';
import { Author } from '../helpers/client.ts';
import { protocolHarness } from './setup.ts';

const h = protocolHarness();
const T = 1_700_000_000;

describe('NIP-09 deletion requests', () => {
  it('deletes the author’s own event by e tag and refuses its re-publication', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const note = a.sign({ content: 'oops' });
    expect((await c.publish(note))[0]).toBe(true);
    const del = a.sign({ kind: 5, tags: [['e', note.id], ['k', '1']], content: 'typo' });
    expect(await c.publish(del)).toEqual([true, '']);
    expect((await c.req('s', { ids: [note.id] })).events).toEqual([]);
    expect(await c.publish(note)).toEqual([false, 'blocked: this event was deleted by its author']);
    // The deletion itself stays served; deleting a deletion has no effect.
    expect((await c.req('d', { kinds: [5], authors: [a.pubkey] })).events).toEqual([del]);
    expect((await c.publish(a.sign({ kind: 5, tags: [['e', del.id]] })))[0]).toBe(true);
    expect((await c.req('d2', { ids: [del.id] })).events).toEqual([del]);
  });

  it('refuses a deletion naming someone else’s event and deletes nothing', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const victim = new Author();
    const note = victim.sign();
    await c.publish(note);
    expect(await c.publish(new Author().sign({ kind: 5, tags: [['e', note.id]] }))).toEqual([false, "blocked: cannot delete another author's event"]);
    expect((await c.req('s', { ids: [note.id] })).events).toEqual([note]);
  });

  it('remembers a deletion of an event not yet seen, for that author only', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const later = a.sign({ content: 'arrives after its deletion' });
    expect((await c.publish(a.sign({ kind: 5, tags: [['e', later.id]] })))[0]).toBe(true);
    expect((await c.publish(later))[0]).toBe(false);
  });

  it('a-tag deletion removes versions up to its created_at; newer versions are accepted', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const v1 = a.sign({ kind: 30023, tags: [['d', 'essay']], created_at: T });
    const keep = a.sign({ kind: 30023, tags: [['d', 'other']], created_at: T });
    for (const e of [v1, keep]) await c.publish(e);
    const del = a.sign({ kind: 5, tags: [['a', `30023:${a.pubkey}:essay`]], created_at: T + 10 });
    expect(await c.publish(del)).toEqual([true, '']);
    expect((await c.req('s', { kinds: [30023], authors: [a.pubkey] })).events).toEqual([keep]);
    expect((await c.publish(a.sign({ kind: 30023, tags: [['d', 'essay']], created_at: T + 5 })))[0]).toBe(false);
    const v3 = a.sign({ kind: 30023, tags: [['d', 'essay']], created_at: T + 20 });
    expect(await c.publish(v3)).toEqual([true, '']);
    expect((await c.req('s2', { kinds: [30023], '#d': ['essay'] })).events).toEqual([v3]);
  });

  it('a-tag deletion is bound to its exact kind, pubkey and d', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const b = new Author();
    const mine = a.sign({ kind: 30023, tags: [['d', 'x']], created_at: T });
    const otherKind = a.sign({ kind: 30024, tags: [['d', 'x']], created_at: T });
    const theirs = b.sign({ kind: 30023, tags: [['d', 'x']], created_at: T });
    for (const e of [mine, otherKind, theirs]) await c.publish(e);
    expect((await c.publish(a.sign({ kind: 5, tags: [['a', `30023:${a.pubkey}:x`]], created_at: T + 1 })))[0]).toBe(true);
    const left = (await c.req('s', { '#d': ['x'] })).events.map((e) => e.id).sort();
    expect(left).toEqual([otherKind.id, theirs.id].sort());
    expect((await c.publish(a.sign({ kind: 5, tags: [['a', `30023:${b.pubkey}:x`]], created_at: T + 1 })))[0]).toBe(false);
  });

  it('lets the recipient delete a gift wrap addressed to them', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const recipient = new Author();
    const wrap = new Author().sign({ kind: 1059, tags: [['p', recipient.pubkey]], content: 'sealed' });
    await c.publish(wrap);
    expect(await c.publish(recipient.sign({ kind: 5, tags: [['e', wrap.id]] }))).toEqual([true, '']);
    expect(r.relay.store.has(wrap.id)).toBe(false);
  });
});
