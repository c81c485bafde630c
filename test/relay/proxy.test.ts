import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { pino } from 'pino';
import { Author } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

/** A WebSocket client that sends the headers a reverse proxy in front of the relay would add. */
async function proxied(url: string, headers: Record<string, string> = {}) {
  const ws = new WebSocket(url, { headers });
  const oks = new Map<string, (ok: [boolean, string]) => void>();
  ws.on('message', (data) => {
    const f = JSON.parse(data.toString()) as unknown[];
    if (f[0] === 'OK') oks.get(f[1] as string)?.([f[2] as boolean, f[3] as string]);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  return {
    publish: (e: NostrEvent) =>
      new Promise<[boolean, string]>((resolve) => {
        oks.set(e.id, resolve);
        ws.send(JSON.stringify(['EVENT', e]));
      }),
    close: () => ws.close(),
  };
}

/** Publishes `n` notes, each from a new author (the per-author bucket stays out of it), and sorts the answers. */
async function flood(c: Awaited<ReturnType<typeof proxied>>, n: number) {
  const answers = await Promise.all(Array.from({ length: n }, (_, i) => c.publish(new Author().sign({ content: `note ${i} ${Math.random()}` }))));
  return { accepted: answers.filter(([ok]) => ok).length, limited: answers.filter(([ok, m]) => !ok && m.startsWith('rate-limited:')).length };
}

function capturedLog() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { log: pino({ level: 'warn' }, stream), lines };
}

const writeLimit = (o: Record<string, unknown> = {}) => ({
  connection: [],
  read: [],
  write: [{ use: 'rateLimit', options: { perIp: { perMinute: 1, burst: 3 }, ...o } }],
});

describe.each(['uws', 'ws'] as const)('client addresses behind a reverse proxy (%s)', (transport) => {
  const relays: TestRelay[] = [];
  const clients: { close(): void }[] = [];
  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    for (const r of relays.splice(0)) await r.destroy();
  });
  const start = async (overrides: Record<string, Record<string, unknown>>, options: Parameters<typeof startTestRelay>[1] = {}) => {
    const r = await startTestRelay({ ...overrides, relay: { transport, ...overrides.relay } }, options);
    relays.push(r);
    return r;
  };
  const connect = async (url: string, headers?: Record<string, string>) => {
    const c = await proxied(url, headers);
    clients.push(c);
    return c;
  };

  it('a client that forges X-Forwarded-For: 127.0.0.1 through an appending proxy keeps its own address and its limits', async () => {
    // The operator exempts local tools; the forged loopback claim must not reach that exemption.
    const r = await start({ relay: { realIpHeader: 'x-forwarded-for' }, policies: writeLimit({ exemptIps: ['loopback'] }) });
    const forger = await connect(r.url, { 'X-Forwarded-For': '127.0.0.1, 198.51.100.7' });
    expect(await flood(forger, 10)).toEqual({ accepted: 3, limited: 7 });
    // Another client behind the same proxy has its own bucket.
    const neighbour = await connect(r.url, { 'X-Forwarded-For': '198.51.100.8' });
    expect((await flood(neighbour, 3)).accepted).toBe(3);
    // A local tool without the header is the proxy's own loopback peer: exempt as configured.
    const tool = await connect(r.url);
    expect(await flood(tool, 10)).toEqual({ accepted: 10, limited: 0 });
  });

  it('reads the header only from relay.trustedProxies', async () => {
    const { log, lines } = capturedLog();
    const r = await start({ relay: { realIpHeader: 'x-forwarded-for', trustedProxies: ['10.0.0.1'] }, policies: writeLimit() }, { log });
    // The loopback peer is not a trusted proxy here: both clients are 127.0.0.1 and share one bucket.
    const a = await connect(r.url, { 'X-Forwarded-For': '198.51.100.1' });
    const b = await connect(r.url, { 'X-Forwarded-For': '198.51.100.2' });
    expect((await flood(a, 3)).accepted).toBe(3);
    expect(await flood(b, 2)).toEqual({ accepted: 0, limited: 2 });
    expect(lines.filter((l) => /not in relay\.trustedProxies/.test(String(l.msg)))).toHaveLength(1);
  });

  it('limits loopback like any address by default, and warns once when forwarded headers arrive unread', async () => {
    const { log, lines } = capturedLog();
    // The default pipelines: no address is exempt unless the operator names it.
    const r = await start({}, { log });
    const c = await connect(r.url, { 'X-Forwarded-For': '198.51.100.9' });
    const { accepted, limited } = await flood(c, 200);
    expect(limited).toBeGreaterThan(0);
    expect(accepted).toBeLessThan(200);
    await connect(r.url, { 'X-Forwarded-For': '198.51.100.10' });
    await connect(r.url, { Forwarded: 'for=198.51.100.11' });
    const warnings = lines.filter((l) => /relay\.realIpHeader is not set/.test(String(l.msg)));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, header: 'x-forwarded-for' });
  });
});
