import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyEvent } from 'nostr-tools/pure';
import { closeAll, ingest, measureFanout, openClients, reqLatency, subscribeAll } from '../loadgen.ts';
import { templateFor, type CorpusSpec } from './corpus.ts';
import { benchKey, idOf, loadSigner, signToJson } from './sign.ts';
import { SignPool } from './signPool.ts';
import { startMiniRelay } from './miniRelay.ts';
import { assertLoopback } from './target.ts';

// The harness checked against a tiny in-memory relay: counts, not speed.
let relay: Awaited<ReturnType<typeof startMiniRelay>>;
beforeAll(async () => { relay = await startMiniRelay(); });
afterAll(async () => { await relay.close(); });

const spec: CorpusSpec = { shape: 'archive', label: 'harness-test', authors: 20, baseTime: 1_760_000_000 };

describe('bench harness', () => {
  it('signs events that nostr-tools accepts, with the id first', async () => {
    const pool = new SignPool(2);
    const events = await pool.sign(spec, 0, 60);
    await pool.close();
    expect(events).toHaveLength(60);
    for (const e of events) {
      const ev = JSON.parse(e);
      expect(verifyEvent(ev)).toBe(true);
      expect(idOf(e)).toBe(ev.id);
    }
    expect(JSON.parse(events[9]!).kind).toBe(templateFor(spec, 9).template.kind);
  });

  it('ingests, queries and fans out with bounded loops', async () => {
    const signer = loadSigner();
    const key = benchKey('harness-test', 0);
    const events = Array.from({ length: 300 }, (_, i) => signToJson(signer, key, { kind: 1, created_at: 1_700_000_000 + i, tags: [], content: `n${i}` }));
    const clients = await openClients(relay.url, 3);
    const r = await ingest(clients, events.slice(0, 200), { inFlight: 10, timeLimitMs: 10_000 });
    expect(r).toMatchObject({ sent: 200, accepted: 200, rejected: 0, unanswered: 0 });
    expect(r.latencyMs).toHaveLength(200);

    const q = await reqLatency(clients[0]!, [{ authors: [key.pubkey], limit: 50 }], { repeat: 3, timeLimitMs: 10_000 });
    expect(q.latencyMs).toHaveLength(3);
    expect(q.events).toBe(150);

    const subs = await subscribeAll(clients.slice(1), 2, { authors: [key.pubkey], since: 1_700_000_250 }, 10_000, 'f');
    expect(subs.eose).toBe(4);
    const f = await measureFanout(clients[0]!, clients.slice(1), events.slice(250, 255), 4, { perEventTimeoutMs: 2_000, timeLimitMs: 10_000 });
    expect(f).toMatchObject({ delivered: 20, expected: 20 });
    closeAll(clients);
  });

  it('refuses targets off loopback', () => {
    expect(() => assertLoopback('ws://127.0.0.1:7777')).not.toThrow();
    expect(() => assertLoopback('ws://localhost:7777')).not.toThrow();
    expect(() => assertLoopback('ws://10.0.0.1:7777')).toThrow(/loopback/);
    expect(() => assertLoopback('wss://relay.damus.io')).toThrow(/loopback/);
  });
});
