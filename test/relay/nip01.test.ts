import { describe, expect, it } from 'vitest';
import { Author, fetchEvents, now, publish, until } from '../helpers/client.ts';
import { protocolHarness } from './setup.ts';

const h = protocolHarness();
const PREFIX = /^[a-z-]+: /;

describe('NIP-01 with a nostr-tools client', () => {
  it('publishes, answers REQ with stored events then EOSE, and delivers live events after', async () => {
    const r = await h.relay();
    const c = await h.client(r);
    const alice = new Author();
    const first = alice.sign({ content: 'first' });
    expect(await publish(c, first)).toEqual({ ok: true, message: '' });
    const live: string[] = [];
    let eose = false;
    c.subscribe([{ authors: [alice.pubkey] }], { onevent: (e) => void live.push(e.content), oneose: () => (eose = true) });
    await until(() => eose);
    expect(live).toEqual(['first']);
    expect((await publish(c, alice.sign({ content: 'second' }))).ok).toBe(true);
    await until(() => live.length === 2);
    expect(live).toEqual(['first', 'second']);
  });

  it('answers a duplicate with OK true and "duplicate:", storing and delivering it once', async () => {
    const r = await h.relay();
    const c = await h.client(r);
    const e = new Author().sign();
    expect((await publish(c, e)).ok).toBe(true);
    expect(await publish(c, e)).toEqual({ ok: true, message: 'duplicate: already have this event' });
    expect((await fetchEvents(c, [{ ids: [e.id] }])).events).toHaveLength(1);
  });
});

describe('NIP-01 event validation', () => {
  it('rejects a tampered id, a bad signature and malformed fields with invalid:', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const e = a.sign({ content: 'original' });
    expect(await c.publish({ ...e, content: 'tampered' })).toEqual([false, 'invalid: event id does not match its content']);
    const badSig = { ...e, sig: e.sig.slice(0, -2) + (e.sig.endsWith('00') ? '11' : '00') };
    expect(await c.publish(badSig)).toEqual([false, 'invalid: bad signature']);
    const other = a.sign({ content: 'other' });
    const cases: [object, RegExp][] = [
      [{ ...other, id: other.id.toUpperCase() }, /^invalid: id/],
      [{ ...other, pubkey: other.pubkey.slice(2) }, /^invalid: pubkey/],
      [{ ...other, sig: other.sig + 'ab' }, /^invalid: sig/],
      [{ ...other, kind: 70000 }, /^invalid: kind/],
      [{ ...other, kind: 1.5 }, /^invalid: kind/],
      [{ ...other, created_at: '1700000000' }, /^invalid: created_at/],
      [{ ...other, created_at: -5 }, /^invalid: created_at/],
      [{ ...other, tags: [['p', 5]] }, /^invalid: each tag/],
      [{ ...other, tags: [null] }, /^invalid: each tag/],
      [{ ...other, content: 42 }, /^invalid: content/],
      [{ ...other, content: 'lone \ud800 surrogate' }, /^invalid: content contains a lone/],
    ];
    for (const [bad, pattern] of cases) {
      c.send(['EVENT', bad]);
      const f = await c.next((f) => f[0] === 'OK' || f[0] === 'NOTICE');
      expect(f[0]).toBe('OK');
      expect(f[2]).toBe(false);
      expect(f[3]).toMatch(pattern);
    }
  });

  it('verifies ids over the seven NIP-01 escapes, non-ASCII and control characters', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const contents = ['line\nbreak "quoted" back\\slash \r\t\b\f', 'ünïcödé 🌻 \ufdd1 \u{10fff2}', 'ctl \u0001\u001f / slash'];
    for (const content of contents) {
      const e = a.sign({ content });
      expect(await c.publish(e)).toEqual([true, '']);
      const { events } = await c.req('x' + e.id.slice(0, 8), { ids: [e.id] });
      expect(events[0]!.content).toBe(content);
    }
  });

  it('accepts empty tags and drops unknown top-level fields', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const e = new Author().sign({ tags: [[], []] });
    expect(await c.publish({ ...e, extra: 'dropped' } as never)).toEqual([true, '']);
    const { events } = await c.req('s', { ids: [e.id] });
    expect(events).toEqual([e]);
  });

  it('answers an EVENT with extra elements with OK false, and counts content length in characters', async () => {
    const r = await h.relay({ limits: { maxContentLength: 4 } });
    const c = await h.raw(r);
    const a = new Author();
    const e = a.sign({ content: 'ok' });
    c.send(['EVENT', e, 'extra']);
    expect(await c.next((f) => f[0] === 'OK')).toEqual(['OK', e.id, false, 'invalid: EVENT takes exactly one event']);
    // Four characters, eight UTF-16 units: within a four-character limit.
    expect(await c.publish(a.sign({ content: '🌻🌻🌻🌻' }))).toEqual([true, '']);
    expect((await c.publish(a.sign({ content: '🌻🌻🌻🌻🌻' })))[1]).toBe('invalid: content too long (5 > 4 characters)');
  });

  it('enforces the created_at window', async () => {
    const r = await h.relay({ limits: { createdAtLowerLimit: 3600, createdAtUpperLimit: 60 } });
    const c = await h.raw(r);
    const a = new Author();
    expect(await c.publish(a.sign({ created_at: now() + 600 }))).toEqual([false, 'invalid: created_at is too far in the future']);
    expect(await c.publish(a.sign({ created_at: now() - 7200 }))).toEqual([false, 'invalid: created_at is too far in the past']);
    expect((await c.publish(a.sign({ created_at: now() - 60 })))[0]).toBe(true);
  });

  it('accepts week-old events by default', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    expect(await c.publish(new Author().sign({ created_at: now() - 8 * 86400 }))).toEqual([true, '']);
  });
});

describe('NIP-01 filters and ordering', () => {
  it('matches ids, authors, kinds, tags (first value only, case-sensitive letters) and inclusive since/until', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const b = new Author();
    const base = 1_700_000_000;
    const e1 = a.sign({ kind: 1, created_at: base, tags: [['t', 'garden'], ['p', b.pubkey]] });
    const e2 = a.sign({ kind: 7, created_at: base + 10, tags: [['e', e1.id], ['T', 'Upper']] });
    const e3 = b.sign({ kind: 1, created_at: base + 20, tags: [['x', 'ignored', 'garden']] });
    for (const e of [e1, e2, e3]) expect((await c.publish(e))[0]).toBe(true);
    const ids = async (...filters: object[]) => (await c.req('q', ...filters)).events.map((e) => e.id);
    expect(await ids({ ids: [e2.id, e3.id] })).toEqual([e3.id, e2.id]);
    expect(await ids({ authors: [a.pubkey] })).toEqual([e2.id, e1.id]);
    expect(await ids({ kinds: [1] })).toEqual([e3.id, e1.id]);
    expect(await ids({ '#t': ['garden'] })).toEqual([e1.id]);
    expect(await ids({ '#p': [b.pubkey] })).toEqual([e1.id]);
    expect(await ids({ '#e': [e1.id] })).toEqual([e2.id]);
    expect(await ids({ '#T': ['Upper'] })).toEqual([e2.id]);
    expect(await ids({ '#t': ['Upper'] })).toEqual([]);
    expect(await ids({ '#x': ['garden'] })).toEqual([]);
    expect(await ids({ since: base + 10, until: base + 20 })).toEqual([e3.id, e2.id]);
    expect(await ids({ since: base, until: base })).toEqual([e1.id]);
    expect(await ids({ authors: [a.pubkey], kinds: [1] }, { authors: [b.pubkey] })).toEqual([e3.id, e1.id]);
    expect(await ids({ kinds: [1], '#t': ['garden'], authors: [b.pubkey] })).toEqual([]);
    expect(await ids({ kinds: [] })).toEqual([]);
    expect(await ids({ kinds: [70000] })).toEqual([]);
  });

  it('orders newest first with ties by lowest id, and limit keeps the newest (per filter)', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    const events = Array.from({ length: 9 }, (_, i) => a.sign({ content: `n${i}`, created_at: 1_700_000_000 + Math.floor(i / 3) }));
    for (const e of events) expect((await c.publish(e))[0]).toBe(true);
    const expected = [...events].sort((x, y) => y.created_at - x.created_at || (x.id < y.id ? -1 : 1)).map((e) => e.id);
    expect((await c.req('all', { authors: [a.pubkey] })).events.map((e) => e.id)).toEqual(expected);
    // limit 4 cuts inside the middle tie group: the lowest id of that group must win.
    expect((await c.req('lim', { kinds: [1], limit: 4 })).events.map((e) => e.id)).toEqual(expected.slice(0, 4));
    expect((await c.req('zero', { kinds: [1], limit: 0 })).events).toEqual([]);
  });

  it('limit 0 sends EOSE at once and then live events; limit does not apply to live events', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    await c.publish(a.sign({ content: 'old' }));
    expect(await c.req('live', { authors: [a.pubkey], limit: 0 })).toEqual({ events: [] });
    const sender = await h.raw(r);
    for (const content of ['new 1', 'new 2']) await sender.publish(a.sign({ content }));
    const got = [await c.next((f) => f[0] === 'EVENT'), await c.next((f) => f[0] === 'EVENT')];
    expect(got.map((f) => (f[2] as { content: string }).content)).toEqual(['new 1', 'new 2']);
  });
});

describe('NIP-01 subscriptions', () => {
  it('CLOSE stops only that subscription; a re-used id replaces the old filters without CLOSED', async () => {
    const r = await h.relay();
    const c = await h.raw(r);
    const a = new Author();
    await c.req('one', { kinds: [1] });
    await c.req('two', { kinds: [1] });
    c.send(['CLOSE', 'one']);
    await c.req('three', { kinds: [7] });
    // 'three' replaced by kind 9: a kind 7 event no longer reaches it.
    await c.req('three', { kinds: [9] });
    const sender = await h.raw(r);
    await sender.publish(a.sign({ kind: 7, content: '+' }));
    await sender.publish(a.sign({ kind: 1, content: 'note' }));
    await sender.publish(a.sign({ kind: 9, content: 'chat' }));
    const f1 = await c.next((f) => f[0] === 'EVENT');
    const f2 = await c.next((f) => f[0] === 'EVENT');
    expect([f1[1], (f1[2] as { kind: number }).kind]).toEqual(['two', 1]);
    expect([f2[1], (f2[2] as { kind: number }).kind]).toEqual(['three', 9]);
    expect(c.pending().filter((f) => f[0] === 'CLOSED' || f[0] === 'EVENT')).toEqual([]);
  });

  it('keeps subscription ids per connection', async () => {
    const r = await h.relay();
    const c1 = await h.raw(r);
    const c2 = await h.raw(r);
    await c1.req('same', { kinds: [1] });
    await c2.req('same', { kinds: [7] });
    const e = new Author().sign({ kind: 7, content: '+' });
    await c1.publish(e);
    expect((await c2.next((f) => f[0] === 'EVENT'))[2]).toEqual(e);
    await new Promise((res) => setTimeout(res, 100));
    expect(c1.pending().filter((f) => f[0] === 'EVENT')).toEqual([]);
  });

  it('answers every refusal with a standard prefix and keeps the connection', async () => {
    const r = await h.relay({ limits: { maxSubscriptions: 1 } });
    const c = await h.raw(r);
    c.send('not json');
    expect((await c.next())[1]).toMatch(/^invalid: /);
    c.send('{"an":"object"}');
    expect((await c.next())[1]).toMatch(/^invalid: /);
    c.send(['HELLO']);
    expect(await c.next()).toEqual(['NOTICE', 'invalid: unknown message type "HELLO"']);
    expect((await c.req('bad', { '#emoji': ['x'] })).closed).toBe('invalid: filter contains unknown elements');
    expect((await c.req('bad', { authors: ['abc'] })).closed).toMatch(/^invalid: /);
    expect((await c.req('', { kinds: [1] })).closed).toMatch(/^invalid: /);
    expect((await c.req('ok', { kinds: [1] })).closed).toBeUndefined();
    const over = await c.req('over', { kinds: [1] });
    expect(over.closed).toMatch(/^rate-limited: /);
    for (const f of c.pending()) if (f[0] === 'CLOSED' || f[0] === 'NOTICE') expect(f[f.length - 1]).toMatch(PREFIX);
    expect(await c.publish(new Author().sign())).toEqual([true, '']);
  });
});
