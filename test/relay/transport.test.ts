import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { acceptAll } from '../../relay/policy.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { Author, fetchEvents, publish, Relay, until } from '../helpers/client.ts';

/** uWebSockets.js and the ws fallback serve the same HTTP routes and the same protocol. */

const LIMITS = {
  maxMessageBytes: 100_000,
  maxSubscriptions: 7,
  maxFilters: 5,
  maxLimit: 321,
  defaultLimit: 123,
  maxSubidLength: 40,
  maxEventTags: 900,
  maxContentLength: 5000,
  createdAtLowerLimit: 86_400,
  createdAtUpperLimit: 60,
};

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': expect.any(String),
  'access-control-allow-methods': expect.stringMatching(/GET/),
};

function corsOf(res: Response): Record<string, string | null> {
  return Object.fromEntries(Object.keys(CORS).map((k) => [k, res.headers.get(k)]));
}

/** Whether a WebSocket upgrade on this path succeeds. */
function upgrades(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.once('open', () => {
      ws.close();
      resolve(true);
    });
    ws.once('error', () => resolve(false));
    ws.once('unexpected-response', (_req, res) => {
      res.resume();
      ws.terminate();
      resolve(false);
    });
  });
}

for (const transport of ['uws', 'ws'] as const) {
  describe(`transport: ${transport}`, () => {
    let relay: TestRelay;
    let http: string;

    beforeAll(async () => {
      relay = await startTestRelay(
        { relay: { transport, name: 'Test <village>', description: 'A relay under test' }, limits: LIMITS, nips: { search: false } },
        { policies: async () => acceptAll },
      );
      http = `http://127.0.0.1:${relay.port}`;
    });
    afterAll(async () => {
      await relay?.destroy();
    });

    it('runs on the transport it was asked for', () => {
      expect(relay.transport).toBe(transport);
      expect(relay.url).toBe(`ws://127.0.0.1:${relay.port}`);
    });

    it('serves NIP-11 on GET / with Accept: application/nostr+json, with CORS and the configured limits', async () => {
      for (const path of ['/', '/?probe=1']) {
        const res = await fetch(http + path, { headers: { Accept: 'application/nostr+json' } });
        expect(res.status).toBe(200);
        expect(res.headers.get('content-type')).toMatch(/^application\/nostr\+json/);
        expect(corsOf(res)).toEqual(CORS);
        const doc = (await res.json()) as { name: string; supported_nips: unknown[]; limitation: Record<string, unknown> };
        expect(doc.name).toBe('Test <village>');
        const nips = doc.supported_nips as number[];
        expect(nips.every((n) => Number.isInteger(n))).toBe(true);
        expect(nips).toEqual([...new Set(nips)].sort((a, b) => a - b));
        // What is enabled is listed; search (50) is switched off here, so it is not.
        expect(nips).toEqual(expect.arrayContaining([1, 9, 11, 40, 42, 45, 62, 70]));
        expect(nips).not.toContain(50);
        expect(doc.limitation).toMatchObject({
          max_message_length: LIMITS.maxMessageBytes,
          max_subscriptions: LIMITS.maxSubscriptions,
          max_limit: LIMITS.maxLimit,
          default_limit: LIMITS.defaultLimit,
          max_subid_length: LIMITS.maxSubidLength,
          max_event_tags: LIMITS.maxEventTags,
          max_content_length: LIMITS.maxContentLength,
          created_at_lower_limit: LIMITS.createdAtLowerLimit,
          created_at_upper_limit: LIMITS.createdAtUpperLimit,
          auth_required: false,
        });
      }
      // A browser's usual Accept list that includes the type also gets the document.
      const res = await fetch(http, { headers: { Accept: 'application/nostr+json, application/json;q=0.9' } });
      expect(res.headers.get('content-type')).toMatch(/^application\/nostr\+json/);
    });

    it('answers an OPTIONS preflight with 204 and the CORS headers', async () => {
      const res = await fetch(http, {
        method: 'OPTIONS',
        headers: { Origin: 'https://client.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'accept' },
      });
      expect(res.status).toBe(204);
      expect(corsOf(res)).toEqual(CORS);
    });

    it('serves /health as JSON, the landing page as HTML, and 404 elsewhere', async () => {
      const health = await fetch(`${http}/health`);
      expect(health.status).toBe(200);
      expect(health.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await health.json()).toMatchObject({ status: 'ok', connections: expect.any(Number), subscriptions: expect.any(Number) });

      const page = await fetch(http);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toMatch(/^text\/html/);
      const html = await page.text();
      expect(html).toContain('Test &#60;village&#62;');
      expect(html).not.toContain('<village>');
      expect(html).toContain(relay.url);

      const head = await fetch(`${http}/health`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      const post = await fetch(`${http}/health`, { method: 'POST', body: '{}' });
      expect(post.status).toBe(405);
      await post.arrayBuffer();

      for (const path of ['/nope', '/health/x', '/index.html']) {
        const res = await fetch(http + path);
        expect(res.status, path).toBe(404);
        await res.arrayBuffer();
      }
    });

    it('upgrades to WebSocket only on /', async () => {
      expect(await upgrades(relay.url)).toBe(true);
      expect(await upgrades(`${relay.url}/`)).toBe(true);
      expect(await upgrades(`${relay.url}/?client=test`)).toBe(true);
      expect(await upgrades(`${relay.url}/other`)).toBe(false);
      expect(await upgrades(`${relay.url}/health`)).toBe(false);
    });

    it('stops promptly while a client has stopped reading (no wait on its close handshake)', async () => {
      const own = await startTestRelay({ relay: { transport } }, { policies: async () => acceptAll });
      const stuck = new WebSocket(own.url);
      await new Promise((resolve) => stuck.once('open', resolve));
      (stuck as unknown as { _socket: { pause(): void } })._socket.pause();
      const gone = new WebSocket(own.url);
      await new Promise((resolve) => gone.once('open', resolve));
      try {
        // A hang here (ws waits 30 s for a close frame that is never read) fails on the test timeout.
        await own.destroy();
      } finally {
        stuck.terminate();
        gone.terminate();
      }
    }, 15_000);

    it('publishes, answers REQ and delivers live events to nostr-tools clients', async () => {
      const writer = await Relay.connect(relay.url);
      const reader = await Relay.connect(relay.url);
      try {
        const alice = new Author();
        const stored = alice.sign({ content: `stored over ${transport}` });
        expect(await publish(writer, stored)).toEqual({ ok: true, message: '' });
        expect((await fetchEvents(reader, [{ authors: [alice.pubkey] }])).events.map((e) => JSON.parse(JSON.stringify(e)) as unknown)).toEqual([stored]);

        const live: string[] = [];
        let eose = false;
        const sub = reader.subscribe([{ authors: [alice.pubkey], kinds: [1] }], {
          onevent: (e) => void live.push(e.content),
          oneose: () => (eose = true),
        });
        await until(() => eose);
        const health = (await (await fetch(`${http}/health`)).json()) as { connections: number; subscriptions: number };
        expect(health.connections).toBeGreaterThanOrEqual(2);
        expect(health.subscriptions).toBeGreaterThanOrEqual(1);
        expect(await publish(writer, alice.sign({ content: 'live one' }))).toEqual({ ok: true, message: '' });
        // Ephemeral events go to live subscribers only.
        const eph = alice.sign({ kind: 20001, content: 'ephemeral' });
        const ephLive: string[] = [];
        let ephEose = false;
        reader.subscribe([{ kinds: [20001], authors: [alice.pubkey] }], { onevent: (e) => void ephLive.push(e.id), oneose: () => (ephEose = true) });
        await until(() => ephEose);
        expect((await publish(writer, eph)).ok).toBe(true);
        await until(() => live.length === 2 && ephLive.length === 1);
        expect(live).toEqual([`stored over ${transport}`, 'live one']);
        expect(ephLive).toEqual([eph.id]);
        sub.close();
        expect((await fetchEvents(reader, [{ ids: [eph.id] }])).events).toEqual([]);
      } finally {
        writer.close();
        reader.close();
      }
    });
  });
}
