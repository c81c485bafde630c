import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acceptAll } from '../../relay/policy.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { Author, now, RawClient } from '../helpers/client.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

/**
 * Live fan-out with many subscriptions over many connections, on both transports: every
 * matching subscription gets each event exactly once, each connection in publish order, and
 * subscriptions that share an id or a filter across connections do not see each other's copies.
 */

const CONNECTIONS = 30;
const EVENTS = 6;

for (const transport of ['uws', 'ws'] as const) {
  describe(`fan-out: ${transport}`, () => {
    let relay: TestRelay;
    const clients: RawClient[] = [];

    beforeAll(async () => {
      relay = await startTestRelay({ relay: { transport } }, { policies: async () => acceptAll });
    });
    afterAll(async () => {
      for (const c of clients) c.close();
      await relay.destroy();
    });

    it('delivers each event once per matching subscription, in order, across many subscriptions', async () => {
      const author = new Author();
      const other = new Author();
      const t = now();
      const url = `ws://127.0.0.1:${relay.port}`;
      for (let i = 0; i < CONNECTIONS; i++) clients.push(await RawClient.open(url));
      const publisher = await RawClient.open(url);
      clients.push(publisher);
      const subscribers = clients.slice(0, CONNECTIONS);

      // Per connection: the same ids and filters as every other connection, a filter listed
      // twice, a since that excludes the first half of the events, and a decoy.
      const wants = new Map<string, (e: NostrEvent, i: number) => boolean>([
        ['same', () => true],
        ['twice', () => true],
        ['tagged', () => true],
        ['late', (_e, i) => i >= EVENTS / 2],
        ['decoy', () => false],
      ]);
      for (const [k, c] of subscribers.entries()) {
        await c.req('same', { authors: [author.pubkey], kinds: [1] });
        await c.req('twice', { authors: [author.pubkey] }, { authors: [author.pubkey] }, { kinds: [1], '#t': ['fan'] });
        await c.req(`tagged`, { '#t': ['fan', 'out'] });
        await c.req('late', { authors: [author.pubkey], since: t + EVENTS / 2 });
        await c.req('decoy', { authors: [other.pubkey] });
        // One subscription unique to this connection.
        if (k % 2 === 0) await c.req(`own${k}`, { kinds: [1], authors: [author.pubkey] });
      }

      const events = Array.from({ length: EVENTS }, (_, i) =>
        author.sign({ created_at: t + i, tags: [['t', 'fan'], ['t', 'out']], content: `event ${i}` }));
      for (const e of events) expect(await publisher.publish(e)).toEqual([true, '']);

      // Every broadcast was queued before its OK; a REQ answered with EOSE on each connection
      // comes after all of them, so the frames seen by then are all there will be.
      for (const c of subscribers) await c.req('barrier', { ids: ['0'.repeat(64)] });

      for (const [k, c] of subscribers.entries()) {
        const frames = c.pending().filter((f) => f[0] === 'EVENT');
        const bySub = new Map<string, string[]>();
        for (const f of frames) {
          const list = bySub.get(f[1] as string) ?? [];
          list.push((f[2] as NostrEvent).id);
          bySub.set(f[1] as string, list);
        }
        const expected = new Map<string, string[]>();
        for (const [subId, want] of wants) {
          const ids = events.filter((e, i) => want(e, i)).map((e) => e.id);
          if (ids.length > 0) expected.set(subId, ids);
        }
        if (k % 2 === 0) expected.set(`own${k}`, events.map((e) => e.id));
        expect(Object.fromEntries(bySub)).toEqual(Object.fromEntries(expected));
        // Publish order holds across the connection's subscriptions, not only within each.
        const order = frames.map((f) => events.findIndex((e) => e.id === (f[2] as NostrEvent).id));
        expect(order).toEqual([...order].sort((a, b) => a - b));
        // The event bytes are the stored JSON, whole, in every copy.
        for (const f of frames) expect(f[2]).toEqual(events.find((e) => e.id === (f[2] as NostrEvent).id));
      }
      // Five subscriptions and the barrier on every connection, and the own ones on half of them.
      expect(relay.relay.monitor.size).toBe(CONNECTIONS * 6 + CONNECTIONS / 2);
    });
  });
}
