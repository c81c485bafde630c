import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { acceptAll } from '../../relay/policy.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { Author, now, RawClient, until } from '../helpers/client.ts';

/** Configured limits, malformed input and slow consumers, on both transports. */

const PREFIX = /^[a-z-]+: /;
const LIMITS = {
  maxMessageBytes: 4096,
  maxEventTags: 20,
  maxContentLength: 200,
  maxFilters: 3,
  maxSubidLength: 10,
  maxSubscriptions: 3,
  maxLimit: 10,
  defaultLimit: 5,
  maxFilterValues: 8,
};

type Frame = unknown[];
const isAnswer = (f: Frame): boolean => f[0] === 'NOTICE' || f[0] === 'OK' || f[0] === 'CLOSED' || f[0] === 'EOSE' || f[0] === 'COUNT';
/** The reason text of an answer frame. */
const reasonOf = (f: Frame): string => String(f[0] === 'NOTICE' ? f[1] : f[0] === 'OK' ? f[3] : f[2]);

for (const transport of ['uws', 'ws'] as const) {
  describe(`limits and malformed input (${transport})`, () => {
    let relay: TestRelay;
    const clients: RawClient[] = [];
    const open = async (): Promise<RawClient> => {
      const c = await RawClient.open(relay.url);
      clients.push(c);
      return c;
    };

    beforeAll(async () => {
      relay = await startTestRelay({ relay: { transport }, limits: LIMITS }, { policies: async () => acceptAll });
    });
    afterEach(() => {
      for (const c of clients.splice(0)) c.close();
    });
    afterAll(async () => {
      await relay?.destroy();
    });

    /** A round trip proving the connection still works and nothing else was queued. */
    const stillServed = async (c: RawClient): Promise<void> => {
      const e = new Author().sign({ content: 'still here' });
      expect(await c.publish(e)).toEqual([true, '']);
      const { events } = await c.req('alive', { ids: [e.id] });
      c.send(['CLOSE', 'alive']);
      expect(events.map((x) => x.id)).toEqual([e.id]);
      expect(c.pending()).toEqual([]);
    };

    it('answers a frame over maxMessageBytes with OK false / NOTICE "invalid:" and keeps the connection', async () => {
      const c = await open();
      const big = new Author().sign({ content: 'x'.repeat(LIMITS.maxMessageBytes) });
      const [ok, message] = await c.publish(big);
      expect(ok).toBe(false);
      expect(message).toMatch(/^invalid: /);
      const manyIds = Array.from({ length: 100 }, (_, i) => i.toString(16).padStart(64, '0'));
      c.send(['REQ', 'big', { ids: manyIds }]);
      const f = await c.next(isAnswer);
      expect(f[0] === 'NOTICE' || f[0] === 'CLOSED').toBe(true);
      expect(reasonOf(f)).toMatch(/^invalid: /);
      await stillServed(c);
    });

    it('enforces max_message_length in bytes, exactly: a frame of maxMessageBytes passes, one byte more does not', async () => {
      const c = await open();
      const a = new Author();
      // An EVENT frame of exactly `bytes` bytes, padded with a tag value of `unit` characters.
      const frameOf = (bytes: number, unit: string): { e: NostrEvent; text: string } => {
        const make = (value: string) => {
          const e = a.sign({ tags: [['x', value]], content: 'sized', created_at: now() - 10 });
          return { e, text: JSON.stringify(['EVENT', e]) };
        };
        // Sizes depend on the value only (id, sig and pubkey have fixed lengths).
        const room = bytes - Buffer.byteLength(make('').text);
        const unitBytes = Buffer.byteLength(unit);
        const made = make(unit.repeat(Math.floor(room / unitBytes)) + 'a'.repeat(room % unitBytes));
        expect(Buffer.byteLength(made.text)).toBe(bytes);
        return made;
      };
      const send = async ({ e, text }: { e: NostrEvent; text: string }) => {
        c.send(text);
        const f = await c.next((f) => f[0] === 'OK' && f[1] === e.id);
        return [f[2], f[3]];
      };
      expect(await send(frameOf(LIMITS.maxMessageBytes, 'a'))).toEqual([true, '']);
      expect(await send(frameOf(LIMITS.maxMessageBytes + 1, 'a'))).toEqual([false, expect.stringMatching(/^invalid: message too large/)]);
      // Multi-byte characters count as the bytes they take, not as characters.
      const euro = frameOf(LIMITS.maxMessageBytes + 2, '€');
      expect(euro.text.length).toBeLessThan(LIMITS.maxMessageBytes);
      expect(await send(euro)).toEqual([false, expect.stringMatching(/^invalid: message too large/)]);
      await stillServed(c);
    });

    it('refuses a filter with more than maxFilterValues values in one field', async () => {
      const c = await open();
      const authors = Array.from({ length: LIMITS.maxFilterValues + 1 }, (_, i) => i.toString(16).padStart(64, '0'));
      const refused = await c.req('vals', { authors });
      expect(refused.closed).toMatch(/^invalid: /);
      expect((await c.req('vals2', { authors: authors.slice(1), limit: 0 })).closed).toBeUndefined();
    });

    it('tells the client why, then closes only its connection, for a frame far over the limit (over 4× maxMessageBytes)', async () => {
      const c = await open();
      const other = await open();
      const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
      // 2 MiB: past what the transport used to cut without a word (1 MiB).
      c.send(JSON.stringify(['EVENT', { content: 'y'.repeat(2 * 1024 * 1024) }]));
      expect(await closed).toBe(1009);
      expect(c.pending()).toEqual([['NOTICE', expect.stringMatching(/^invalid: message too large \(\d+ > 4096 bytes\)$/)]]);
      // An EVENT whose id can be read gets its OK before the close.
      const d = await open();
      const e = new Author().sign({ content: 'z'.repeat(5 * LIMITS.maxMessageBytes) });
      const dClosed = new Promise<number>((resolve) => d.ws.once('close', (code) => resolve(code)));
      d.send(['EVENT', e]);
      expect(await dClosed).toBe(1009);
      expect(d.pending()).toEqual([['OK', e.id, false, expect.stringMatching(/^invalid: message too large/)]]);
      await stillServed(other);
    });

    it('refuses a binary frame that is not UTF-8 with a NOTICE and keeps the connection', async () => {
      const c = await open();
      c.ws.send(Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]), { binary: true });
      expect(await c.next(isAnswer)).toEqual(['NOTICE', 'invalid: message is not valid UTF-8']);
      // A binary frame of valid UTF-8 JSON is read like a text frame.
      c.ws.send(Buffer.from(JSON.stringify(['REQ', 'bin', { limit: 0 }])), { binary: true });
      expect(await c.next(isAnswer)).toEqual(['EOSE', 'bin']);
      c.send(['CLOSE', 'bin']);
      await stillServed(c);
    });

    it(
      transport === 'ws'
        ? 'answers a text frame that is not UTF-8 with a NOTICE, then closes the connection (1007)'
        : 'closes a connection that sends a text frame that is not UTF-8 (uWS drops it itself, 1006), and only that one',
      async () => {
        const c = await open();
        const other = await open();
        const closed = new Promise<number>((resolve) => c.ws.once('close', (code) => resolve(code)));
        c.ws.send(Buffer.from([0x5b, 0x22, 0xff, 0xfe, 0x22, 0x5d]), { binary: false });
        if (transport === 'ws') {
          expect(await closed).toBe(1007);
          expect(c.pending()).toEqual([['NOTICE', 'invalid: message is not valid UTF-8']]);
        } else {
          expect(await closed).toBe(1006);
        }
        await stillServed(other);
      },
    );

    it('rejects too many tags and too long content with "invalid:", accepting events exactly at the limits', async () => {
      const c = await open();
      const a = new Author();
      const tags = (n: number) => Array.from({ length: n }, (_, i) => ['t', `t${i}`]);
      expect(await c.publish(a.sign({ tags: tags(LIMITS.maxEventTags) }))).toEqual([true, '']);
      expect(await c.publish(a.sign({ content: 'c'.repeat(LIMITS.maxContentLength) }))).toEqual([true, '']);
      const [ok1, m1] = await c.publish(a.sign({ tags: tags(LIMITS.maxEventTags + 1) }));
      expect([ok1, m1]).toEqual([false, expect.stringMatching(/^invalid: .*tags/)]);
      const [ok2, m2] = await c.publish(a.sign({ content: 'c'.repeat(LIMITS.maxContentLength + 1) }));
      expect([ok2, m2]).toEqual([false, expect.stringMatching(/^invalid: .*content/)]);
      const old = a.sign({ created_at: now() - 2 * 365 * 86400 });
      expect(await c.publish(old)).toEqual([true, '']);
      const future = a.sign({ created_at: now() + 3600 });
      expect(await c.publish(future)).toEqual([false, expect.stringMatching(/^invalid: /)]);
    });

    it('refuses too many filters, bad subscription ids and too many subscriptions with CLOSED and a prefix', async () => {
      const c = await open();
      const closedWith = async (msg: Frame): Promise<string> => {
        c.send(msg);
        const f = await c.next(isAnswer);
        expect(f[0], JSON.stringify(f)).toBe('CLOSED');
        expect(f[1]).toBe(msg[1]);
        expect(reasonOf(f)).toMatch(PREFIX);
        return reasonOf(f);
      };
      expect(await closedWith(['REQ', 'f', {}, {}, {}, {}])).toMatch(/^invalid: /);
      expect(await closedWith(['COUNT', 'f', {}, {}, {}, {}])).toMatch(/^invalid: /);
      expect((await c.req('f', {}, {}, { limit: 0 })).closed).toBeUndefined();
      c.send(['CLOSE', 'f']);
      expect(await closedWith(['REQ', '', {}])).toMatch(/^invalid: /);
      expect(await closedWith(['REQ', 'x'.repeat(LIMITS.maxSubidLength + 1), {}])).toMatch(/^invalid: /);
      expect((await c.req('x'.repeat(LIMITS.maxSubidLength), { limit: 0 })).closed).toBeUndefined();
      c.send(['CLOSE', 'x'.repeat(LIMITS.maxSubidLength)]);

      for (const id of ['s1', 's2', 's3']) expect((await c.req(id, { limit: 0 })).closed).toBeUndefined();
      await closedWith(['REQ', 's4', { limit: 0 }]);
      // Re-using an open id replaces it and is not a new subscription.
      expect((await c.req('s1', { kinds: [1], limit: 0 })).closed).toBeUndefined();
      c.send(['CLOSE', 's2']);
      expect((await c.req('s4', { limit: 0 })).closed).toBeUndefined();
      await closedWith(['REQ', 's5', { limit: 0 }]);
      // Subscription counts are per connection.
      const other = await open();
      expect((await other.req('s5', { limit: 0 })).closed).toBeUndefined();
    });

    it('a refused REQ that reuses an open subscription id leaves no live subscription under that id', async () => {
      const c = await open();
      const a = new Author();
      expect((await c.req('reuse', { authors: [a.pubkey] })).closed).toBeUndefined();
      c.send(['REQ', 'reuse', { authors: [a.pubkey], foo: 1 }]);
      const f = await c.next(isAnswer);
      expect(f.slice(0, 2)).toEqual(['CLOSED', 'reuse']);
      // After CLOSED the client considers 'reuse' gone: nothing may arrive under it any more.
      const e = a.sign({ content: 'after CLOSED' });
      expect(await c.publish(e)).toEqual([true, '']);
      const { events } = await c.req('probe', { ids: [e.id] });
      expect(events).toHaveLength(1);
      expect(c.pending().filter((x) => x[1] === 'reuse')).toEqual([]);
    });

    it('a CLOSE sent right behind its REQ (same packet) leaves no subscription open', async () => {
      const c = await open();
      const a = new Author();
      for (let i = 0; i < 5; i++) {
        // One write carrying both frames, so the relay reads them together.
        const frames = [JSON.stringify(['REQ', `rc${i}`, { authors: [a.pubkey] }]), JSON.stringify(['CLOSE', `rc${i}`])];
        const raw = (c.ws as unknown as { _socket: { cork(): void; uncork(): void } })._socket;
        raw.cork();
        for (const f of frames) c.send(f);
        raw.uncork();
      }
      const e = a.sign({ content: 'nobody is subscribed' });
      expect(await c.publish(e)).toEqual([true, '']);
      await c.req('sync', { limit: 0 });
      expect(c.pending().filter((f) => f[0] === 'EVENT')).toEqual([]);
      const mine = [...relay.relay.sessions].find((s) => s.subs.has('sync'))!;
      expect([...mine.subs.keys()]).toEqual(['sync']);
    });

    it('clamps limit to maxLimit and applies defaultLimit when none is given; COUNT ignores limit', async () => {
      const c = await open();
      const a = new Author();
      const t = now() - 100;
      const events: NostrEvent[] = [];
      for (let i = 0; i < LIMITS.maxLimit + 3; i++) {
        const e = a.sign({ content: `n${i}`, created_at: t + i });
        events.push(e);
        expect(await c.publish(e)).toEqual([true, '']);
      }
      const newest = events.map((e) => e.id).reverse();
      const ids = async (f: object) => (await c.req(`l${JSON.stringify(f).length}`, f)).events.map((e) => e.id);
      expect(await ids({ authors: [a.pubkey], limit: 1000 })).toEqual(newest.slice(0, LIMITS.maxLimit));
      expect(await ids({ authors: [a.pubkey] })).toEqual(newest.slice(0, LIMITS.defaultLimit));
      expect(await ids({ authors: [a.pubkey], limit: 0 })).toEqual([]);
      expect(await ids({ authors: [a.pubkey], limit: 2 })).toEqual(newest.slice(0, 2));
      c.send(['COUNT', 'cnt', { authors: [a.pubkey], limit: 1 }]);
      expect((await c.next((f) => f[0] === 'COUNT'))[2]).toMatchObject({ count: events.length });
    });

    it('answers every malformed frame with NOTICE, OK or CLOSED and a standard prefix, and keeps serving', async () => {
      const c = await open();
      const bystander = await open();
      const bystanderSub = new Author();
      expect((await bystander.req('watch', { authors: [bystanderSub.pubkey] })).closed).toBeUndefined();

      const e = new Author().sign({ content: 'template' });
      const frames: [string, 'NOTICE' | 'OK' | 'CLOSED', RegExp?][] = [
        ['this is not json', 'NOTICE', /^invalid: /],
        ['{"verb":"REQ"}', 'NOTICE', /^invalid: /],
        ['"EVENT"', 'NOTICE', /^invalid: /],
        ['null', 'NOTICE', /^invalid: /],
        ['[]', 'NOTICE', /^invalid: /],
        ['[42, {}]', 'NOTICE', /^invalid: /],
        ['["FOO", "x"]', 'NOTICE'],
        ['["EVENT"]', 'NOTICE', /^invalid: /],
        ['["EVENT", "not an event"]', 'NOTICE', /^invalid: /],
        [JSON.stringify(['EVENT', { ...e, kind: '1' }]), 'OK', /^invalid: /],
        [JSON.stringify(['EVENT', { ...e, created_at: 1.5 }]), 'OK', /^invalid: /],
        [JSON.stringify(['EVENT', { ...e, created_at: '1' }]), 'OK', /^invalid: /],
        [JSON.stringify(['EVENT', { ...e, tags: 'x' }]), 'OK', /^invalid: /],
        [JSON.stringify(['EVENT', { ...e, tags: [['t', 5]] }]), 'OK', /^invalid: /],
        [JSON.stringify(['EVENT', { ...e, content: 5 }]), 'OK', /^invalid: /],
        [JSON.stringify(['EVENT', { ...e, sig: 5 }]), 'OK', /^invalid: /],
        [JSON.stringify(['EVENT', { ...e, content: 'tampered' }]), 'OK', /^invalid: /],
        ['["REQ"]', 'NOTICE', /^invalid: /],
        ['["REQ", 5, {}]', 'NOTICE', /^invalid: /],
        ['["REQ", "m"]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", "filter"]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", []]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"kinds": "1"}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"kinds": [-1]}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"kinds": [1.5]}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"ids": [5]}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"authors": ["abc"]}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"#e": ["not-hex"]}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"#t": "x"}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"since": "1"}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"until": null}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"limit": -1}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"limit": 2.5}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"search": 5}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"foo": 1}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"#emoji": ["x"]}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"#": ["x"]}]', 'CLOSED', /^invalid: /],
        ['["REQ", "m", {"#1": ["x"]}]', 'CLOSED', /^invalid: /],
        ['["COUNT", "m", {"kinds": "x"}]', 'CLOSED', /^invalid: /],
        ['["COUNT", "m", {"bar": []}]', 'CLOSED', /^invalid: /],
        ['["CLOSE"]', 'NOTICE', /^invalid: /],
        ['["CLOSE", 5]', 'NOTICE', /^invalid: /],
        ['["AUTH"]', 'NOTICE', /^invalid: /],
        ['["AUTH", {"id": 5}]', 'NOTICE', /^invalid: /],
      ];
      for (const [text, verb, reason] of frames) {
        c.send(text);
        const f = await c.next(isAnswer);
        expect(f[0], `${text.slice(0, 80)} → ${JSON.stringify(f)}`).toBe(verb);
        expect(reasonOf(f), text.slice(0, 80)).toMatch(reason ?? PREFIX);
        if (verb === 'CLOSED') expect(f[1]).toBe('m');
      }
      // A CLOSE of an unknown id is silent; a refused REQ left no subscription behind.
      c.send(['CLOSE', 'never-opened']);
      await stillServed(c);
      // The other client was served throughout.
      const e2 = bystanderSub.sign({ content: 'for the bystander' });
      expect(await bystander.publish(e2)).toEqual([true, '']);
      const live = await bystander.next((f) => f[0] === 'EVENT' && f[1] === 'watch');
      expect((live[2] as NostrEvent).id).toBe(e2.id);
    });
  });

  describe(`slow consumer (${transport})`, () => {
    let relay: TestRelay;
    const clients: RawClient[] = [];
    beforeAll(async () => {
      relay = await startTestRelay({ relay: { transport }, limits: { maxOutboundBytes: 65_536 } }, { policies: async () => acceptAll });
    });
    afterAll(async () => {
      for (const c of clients.splice(0)) c.ws.terminate();
      await relay?.destroy();
    });

    it('disconnects a client that stops reading once its outbound buffer passes maxOutboundBytes', async () => {
      const slow = await RawClient.open(relay.url);
      const writer = await RawClient.open(relay.url);
      const healthy = await RawClient.open(relay.url);
      clients.push(slow, writer, healthy);
      expect((await slow.req('all', { kinds: [1] })).closed).toBeUndefined();
      expect((await healthy.req('all', { kinds: [1], limit: 0 })).closed).toBeUndefined();
      expect(relay.relay.sessions.size).toBe(3);
      // Stop reading: the kernel buffers fill, then the relay's.
      (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();

      const author = new Author();
      const content = 'z'.repeat(60_000);
      let sent = 0;
      // Bounded: 18 MB is well past any loopback socket buffer plus the cap.
      for (let i = 0; i < 30 && relay.relay.sessions.size === 3; i++) {
        const batch = Array.from({ length: 10 }, (_, j) => author.sign({ content: `${i}-${j} ${content}` }));
        const results = await Promise.all(batch.map((e) => writer.publish(e)));
        for (const r of results) expect(r).toEqual([true, '']);
        sent += batch.length;
      }
      await until(() => relay.relay.sessions.size === 2, 10_000);
      expect(sent).toBeGreaterThan(0);
      // The healthy subscriber got every event and stays connected.
      let got = 0;
      while (got < sent) {
        const f = await healthy.next((f) => f[0] === 'EVENT' && f[1] === 'all');
        expect((f[2] as NostrEvent).pubkey).toBe(author.pubkey);
        got++;
      }
      const e = author.sign({ content: 'after' });
      expect(await healthy.publish(e)).toEqual([true, '']);
    });

    it('disconnects a client that stops reading while stored answers pile up, and keeps serving others', async () => {
      const slow = await RawClient.open(relay.url);
      const other = await RawClient.open(relay.url);
      clients.push(slow, other);
      const before = relay.relay.sessions.size;
      const author = new Author();
      const content = 'q'.repeat(60_000);
      for (let i = 0; i < 5; i++) {
        const batch = Array.from({ length: 10 }, (_, j) => author.sign({ content: `${i}-${j} ${content}` }));
        for (const r of await Promise.all(batch.map((e) => other.publish(e)))) expect(r).toEqual([true, '']);
      }
      (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      // Each REQ answers 3 MB at once; the client reads none of it.
      for (let i = 0; i < 8 && relay.relay.sessions.size === before; i++) {
        slow.send(['REQ', `dump${i}`, { authors: [author.pubkey], limit: 100 }]);
        await new Promise((r) => setTimeout(r, 20));
      }
      await until(() => relay.relay.sessions.size === before - 1, 10_000);
      const { events } = await other.req('check', { authors: [author.pubkey], limit: 100 });
      expect(events).toHaveLength(50);
    });
  });
}
