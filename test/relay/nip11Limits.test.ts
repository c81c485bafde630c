import { readFileSync } from 'node:fs';
import { finalizeEvent, nip13 } from 'nostr-tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { Author, now, RawClient } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { fakeEvent, storeAll } from '../sync/helpers.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

interface Nip11 {
  software: string;
  version: string;
  posting_policy: string;
  limitation: Record<string, number | boolean>;
}

const httpOf = (wsUrl: string): string => wsUrl.replace(/^ws/, 'http');
const nip11 = async (r: TestRelay): Promise<Nip11> =>
  (await (await fetch(`${httpOf(r.url)}/`, { headers: { Accept: 'application/nostr+json' } })).json()) as Nip11;

/** Signs with proof of work of exactly `bits` leading zero bits, committed in the nonce tag. */
function withPow(author: Author, bits: number, content: string, tags: string[][] = []): NostrEvent {
  for (let created_at = now(); ; created_at--) {
    const mined = nip13.minePow({ kind: 1, tags: tags.map((t) => [...t]), content, created_at, pubkey: author.pubkey }, bits);
    if (nip13.getPow(mined.id) !== bits) continue;
    return JSON.parse(JSON.stringify(finalizeEvent({ kind: 1, tags: mined.tags, content, created_at: mined.created_at }, author.sk))) as NostrEvent;
  }
}

describe('NIP-11 limitation is what the relay and its policies enforce', () => {
  it('advertises the default pipeline\'s tag cap (5000), not the relay\'s 10000', async () => {
    const r = await startTestRelay({ limits: { maxEventTags: 10000 } });
    try {
      const doc = await nip11(r);
      expect(doc.limitation.max_event_tags).toBe(5000);
      const c = await RawClient.open(r.url);
      const a = new Author();
      const tags = (n: number) => Array.from({ length: n }, (_, i) => ['t', `tag${i}`]);
      expect(await c.publish(a.sign({ tags: tags(5000), content: 'at the advertised tag limit' }))).toEqual([true, '']);
      expect((await c.publish(a.sign({ tags: tags(5001), content: 'one tag past the advertised limit' })))[0]).toBe(false);
      c.close();
    } finally {
      await r.destroy();
    }
  });

  describe('with stricter policies than the relay', () => {
    const LIMITS = { maxMessageBytes: 2000, maxSubscriptions: 4, maxSubidLength: 12, maxLimit: 50, defaultLimit: 30, maxEventTags: 100, maxContentLength: 500 };
    let r: TestRelay;
    let c: RawClient;
    let doc: Nip11;

    beforeAll(async () => {
      r = await startTestRelay({
        limits: LIMITS,
        policies: {
          connection: [],
          write: [
            { use: 'sizeLimits', options: { maxTags: 10, maxContentLength: 200 } },
            { use: 'pow', options: { difficulty: 4 } },
          ],
          read: [{ use: 'filterLimits', options: { maxLimit: 20 } }],
        },
      });
      const t = now();
      await storeAll(r.relay.store, Array.from({ length: 60 }, (_, i) => fakeEvent(t - i)));
      c = await RawClient.open(r.url);
      doc = await nip11(r);
    });
    afterAll(async () => {
      c?.close();
      await r?.destroy();
    });

    it('says which software, which version, and where the rules are', async () => {
      expect(doc.version).toBe(VERSION);
      expect(doc.software).toBeTruthy();
      expect(doc.posting_policy).toBe(`${httpOf(r.url)}/rulebook`);
      const page = await fetch(doc.posting_policy);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/text\/html/);
      expect(await page.text()).toContain('No spam');
      const json = (await (await fetch(doc.posting_policy, { headers: { Accept: 'application/json' } })).json()) as { rules: { id: string }[] };
      expect(json.rules.map((x) => x.id)).toContain('size');
    });

    it('advertises the stricter of each limit', () => {
      expect(doc.limitation).toMatchObject({
        max_message_length: 2000,
        max_subscriptions: 4,
        max_subid_length: 12,
        max_limit: 20,
        default_limit: 20,
        max_event_tags: 10,
        max_content_length: 200,
        min_pow_difficulty: 4,
        restricted_writes: true,
        auth_required: false,
      });
    });

    const a = new Author();

    it('max_event_tags: accepts that many tags, refuses one more', async () => {
      const n = doc.limitation.max_event_tags as number;
      // The nonce tag counts: plain tags fill up the rest.
      const tagged = (count: number) => withPow(a, 4, `${count} tags`, Array.from({ length: count - 1 }, (_, i) => ['t', `t${i}`]));
      const exact = tagged(n);
      expect(exact.tags).toHaveLength(n);
      expect(await c.publish(exact)).toEqual([true, '']);
      const over = tagged(n + 1);
      expect(over.tags).toHaveLength(n + 1);
      const [ok, message] = await c.publish(over);
      expect(ok).toBe(false);
      expect(message).toMatch(/^invalid: /);
    });

    it('max_content_length: accepts that many characters, refuses one more', async () => {
      const n = doc.limitation.max_content_length as number;
      // Characters, not UTF-16 units: each sunflower is two units.
      expect(await c.publish(withPow(a, 4, '🌻'.repeat(n)))).toEqual([true, '']);
      const [ok, message] = await c.publish(withPow(a, 4, '🌻'.repeat(n + 1)));
      expect(ok).toBe(false);
      expect(message).toMatch(/^invalid: /);
    });

    it('min_pow_difficulty: accepts that many leading zero bits, refuses one fewer', async () => {
      const n = doc.limitation.min_pow_difficulty as number;
      expect(await c.publish(withPow(a, n, 'exactly enough work'))).toEqual([true, '']);
      const [ok, message] = await c.publish(withPow(a, n - 1, 'one bit short'));
      expect(ok).toBe(false);
      expect(message).toMatch(/^pow: /);
    });

    it('max_message_length: accepts a frame of that many bytes, refuses one more', async () => {
      const n = doc.limitation.max_message_length as number;
      // A REQ padded to an exact size with an unused tag value.
      const frame = (size: number) => {
        const base = JSON.stringify(['REQ', 'size', { kinds: [1], '#x': [''] }]);
        return JSON.stringify(['REQ', 'size', { kinds: [1], '#x': ['x'.repeat(size - base.length)] }]);
      };
      expect(Buffer.byteLength(frame(n))).toBe(n);
      c.ws.send(frame(n));
      expect((await c.next((f) => f[1] === 'size' && (f[0] === 'EOSE' || f[0] === 'CLOSED')))[0]).toBe('EOSE');
      c.send(['CLOSE', 'size']);
      c.ws.send(frame(n + 1));
      const refused = await c.next((f) => f[0] === 'NOTICE' || (f[0] === 'CLOSED' && f[1] === 'size'));
      expect(String(refused[0] === 'NOTICE' ? refused[1] : refused[2])).toMatch(/^invalid: message too large/);
    });

    it('max_limit and default_limit: a REQ gets at most max_limit events, default_limit without a limit', async () => {
      const max = doc.limitation.max_limit as number;
      expect((await c.req('lim', { kinds: [1], limit: max })).events).toHaveLength(max);
      expect((await c.req('lim1', { kinds: [1], limit: max + 1 })).events).toHaveLength(max);
      expect((await c.req('dflt', { kinds: [1] })).events).toHaveLength(doc.limitation.default_limit as number);
    });

    it('max_subid_length: accepts an id that long, refuses one more character', async () => {
      const n = doc.limitation.max_subid_length as number;
      const ok = 's'.repeat(n);
      expect((await c.req(ok, { kinds: [1], limit: 1 })).closed).toBeUndefined();
      c.send(['CLOSE', ok]);
      expect((await c.req('s'.repeat(n + 1), { kinds: [1], limit: 1 })).closed).toMatch(/^invalid: /);
    });

    it('max_subscriptions: holds that many open subscriptions, refuses one more', async () => {
      const n = doc.limitation.max_subscriptions as number;
      const own = await RawClient.open(r.url);
      try {
        for (let i = 0; i < n; i++) expect((await own.req(`open${i}`, { kinds: [1], limit: 1 })).closed).toBeUndefined();
        expect((await own.req('one-more', { kinds: [1], limit: 1 })).closed).toMatch(/^rate-limited: /);
      } finally {
        own.close();
      }
    });

    it('follows a policy change without a restart', async () => {
      const engine = r.relay.policies;
      await engine.reconfigure!({ ...r.config.policies, write: [{ use: 'sizeLimits', options: { maxTags: 3 } }], read: [] });
      const after = await nip11(r);
      expect(after.limitation.max_event_tags).toBe(3);
      expect(after.limitation.max_limit).toBe(50);
      expect(after.limitation.min_pow_difficulty).toBeUndefined();
      expect(after.limitation.restricted_writes).toBe(false);
    });
  });
});
