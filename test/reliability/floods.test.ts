import { afterEach, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createPolicyEngine } from '../../policies/index.ts';
import { Author } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { connectFrom, Inbox } from './support/net.ts';

/** One address floods; the rate limits and connection limits engage; another address is served. */

const FLOODER = '127.0.0.1';
const NEIGHBOUR = '127.0.0.2';
const relays: TestRelay[] = [];
const sockets: WebSocket[] = [];

afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const r of relays.splice(0)) await r.destroy();
});

// Loopback is exempt by default; these limits must apply to 127.0.0.1 too.
const limited = (perMinute: number, burst: number) => ({ use: 'rateLimit', options: { perIp: { perMinute, burst }, exemptIps: [] } });

async function start(policies: Record<string, unknown>, limits: Record<string, unknown> = {}): Promise<TestRelay> {
  const relay = await startTestRelay(
    { policies: { connection: [], write: [], read: [], ...policies }, limits },
    { policies: (s) => createPolicyEngine(s) },
  );
  relays.push(relay);
  return relay;
}

async function open(relay: TestRelay, from: string): Promise<Inbox> {
  const ws = await connectFrom(relay.url, from);
  if (typeof ws === 'number') throw new Error(`refused with HTTP ${ws}`);
  sockets.push(ws);
  return new Inbox(ws);
}

/** The well-behaved neighbour: its live subscription sees its note, its publish and REQ succeed. */
async function neighbourServed(relay: TestRelay, author: Author): Promise<void> {
  const c = await open(relay, NEIGHBOUR);
  c.send(['REQ', 'live', { authors: [author.pubkey] }]);
  await c.take((f) => f[0] === 'EOSE');
  const e = author.sign({ content: `neighbourly ${Math.random()}` });
  c.send(['EVENT', e]);
  expect(await c.take((f) => f[0] === 'OK' && f[1] === e.id)).toEqual(['OK', e.id, true, '']);
  expect(((await c.take((f) => f[0] === 'EVENT' && f[1] === 'live'))[2] as { id: string }).id).toBe(e.id);
  c.send(['REQ', 'past', { ids: [e.id] }]);
  expect(((await c.take((f) => f[0] === 'EVENT' && f[1] === 'past'))[2] as { id: string }).id).toBe(e.id);
  c.ws.close();
}

describe('floods', () => {
  it('many connections from one address: upgrades past the burst are refused, another address connects', async () => {
    const relay = await start({ connection: [limited(1, 10)] });
    const outcomes = await Promise.all(Array.from({ length: 40 }, () => connectFrom(relay.url, FLOODER).catch(() => -1)));
    const opened = outcomes.filter((o): o is WebSocket => typeof o !== 'number');
    sockets.push(...opened);
    expect(opened.length).toBe(10);
    expect(outcomes.filter((o) => o === 403).length).toBe(30);
    await neighbourServed(relay, new Author());
  });

  it('an EVENT flood is answered rate-limited: past the burst while a neighbour publishes and reads', async () => {
    const relay = await start({ write: [limited(1, 20)] });
    const flooder = await open(relay, FLOODER);
    const author = new Author();
    const events = Array.from({ length: 300 }, (_, i) => author.sign({ content: `flood ${i}` }));
    for (const e of events) flooder.send(['EVENT', e]);
    await neighbourServed(relay, new Author());
    const oks = await flooder.collect((f) => f[0] === 'OK', events.length);
    expect(oks.filter((f) => f[2] === true).length).toBe(20);
    const refused = oks.filter((f) => f[2] === false).map((f) => f[3]);
    expect(new Set(refused)).toEqual(new Set(['rate-limited: slow down, too many events from your address']));
  });

  it('EVENTs pipelined past the in-flight cap are refused before verification, each with its OK', async () => {
    // No rate limits at all: the cap alone bounds the work one connection can queue.
    const relay = await start({});
    const flooder = await open(relay, FLOODER);
    const author = new Author();
    const events = Array.from({ length: 700 }, (_, i) => author.sign({ content: `pipelined ${i}` }));
    for (const e of events) flooder.send(['EVENT', e]);
    await neighbourServed(relay, new Author());
    const oks = await flooder.collect((f) => f[0] === 'OK', events.length, 20_000);
    expect(new Set(oks.map((f) => f[1])).size).toBe(events.length);
    const refused = oks.filter((f) => f[2] === false);
    expect(refused.length).toBeGreaterThan(0);
    expect(new Set(refused.map((f) => f[3]))).toEqual(new Set(['rate-limited: more than 500 events awaiting OK on this connection']));
  });

  it('limits.maxEventsInFlight and limits.maxRateLimitedPer10s set the cap and the cut-off', async () => {
    const relay = await start({}, { maxEventsInFlight: 20, maxRateLimitedPer10s: 150 });
    const flooder = await open(relay, FLOODER);
    const closed = new Promise<number>((r) => flooder.ws.once('close', (code) => r(code)));
    const author = new Author();
    const events = Array.from({ length: 400 }, (_, i) => author.sign({ content: `capped ${i}` }));
    for (const e of events) if (flooder.ws.readyState === flooder.ws.OPEN) flooder.send(['EVENT', e]);
    expect(await closed).toBe(1008);
    const refused = flooder.frames.filter((f) => f[0] === 'OK' && f[2] === false);
    expect(new Set(refused.map((f) => f[3]))).toEqual(new Set(['rate-limited: more than 20 events awaiting OK on this connection']));
    // Cut off at the 150th refusal (its own OK may not make it out before the close); with the
    // default of 1000 all 380 would have been answered.
    expect(refused.length).toBeGreaterThanOrEqual(149);
    expect(refused.length).toBeLessThanOrEqual(150);
    await neighbourServed(relay, new Author());
  });

  it('a REQ flood is CLOSED rate-limited: past the burst; a neighbour still reads', async () => {
    const relay = await start({ read: [limited(1, 30)] });
    const flooder = await open(relay, FLOODER);
    for (let i = 0; i < 300; i++) flooder.send(['REQ', `s${i % 40}`, { kinds: [1], limit: 10 }]);
    await neighbourServed(relay, new Author());
    const answers = await flooder.collect((f) => f[0] === 'EOSE' || f[0] === 'CLOSED', 300);
    expect(answers.filter((f) => f[0] === 'EOSE').length).toBe(30);
    expect(new Set(answers.filter((f) => f[0] === 'CLOSED').map((f) => f[2]))).toEqual(
      new Set(['rate-limited: slow down, too many requests from your address']),
    );
  });

  it('a connection that keeps flooding after 1000 rate-limited refusals is closed; a neighbour is served', async () => {
    const relay = await start({ read: [limited(1, 10)] });
    const flooder = await open(relay, FLOODER);
    const closed = new Promise<number>((r) => flooder.ws.once('close', (code) => r(code)));
    for (let i = 0; i < 1_500 && flooder.ws.readyState === flooder.ws.OPEN; i++) flooder.send(['REQ', `s${i % 40}`, { kinds: [1], limit: 1 }]);
    expect(await closed).toBe(1008);
    await neighbourServed(relay, new Author());
    const refused = flooder.frames.filter((f) => f[0] === 'CLOSED' && String(f[2]).startsWith('rate-limited: '));
    expect(refused.length).toBeGreaterThan(900);
  });

  it('subscription churn: the per-connection cap holds, and every closed subscription leaves the index', async () => {
    const relay = await start({}, { maxSubscriptions: 20 });
    const monitor = relay.relay.monitor;
    const churner = await open(relay, FLOODER);
    // Open past the cap: the extra ones are refused.
    for (let i = 0; i < 30; i++) churner.send(['REQ', `cap${i}`, { authors: [new Author().pubkey] }]);
    const first = await churner.collect((f) => f[0] === 'EOSE' || f[0] === 'CLOSED', 30);
    expect(first.filter((f) => f[0] === 'EOSE').length).toBe(20);
    expect(first.filter((f) => f[0] === 'CLOSED').every((f) => String(f[2]).startsWith('rate-limited: too many open subscriptions'))).toBe(true);
    expect(monitor.size).toBe(20);
    for (let i = 0; i < 20; i++) churner.send(['CLOSE', `cap${i}`]);
    // Churn: open, replace and close thousands of times.
    for (let i = 0; i < 3_000; i++) {
      churner.send(['REQ', `c${i % 15}`, { kinds: [1000 + (i % 50)], '#t': [`x${i}`] }]);
      if (i % 3 === 0) churner.send(['CLOSE', `c${(i + 7) % 15}`]);
    }
    await churner.collect((f) => f[0] === 'EOSE' && f[1] !== undefined && /^c[0-9]/.test(String(f[1])), 3_000, 20_000);
    await neighbourServed(relay, new Author());
    expect(monitor.size).toBeLessThanOrEqual(15);
    churner.ws.close();
    const end = Date.now() + 5_000;
    while (monitor.size > 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    expect(monitor.size).toBe(0);
    expect(relay.relay.sessions.size).toBe(0);
  });
});
