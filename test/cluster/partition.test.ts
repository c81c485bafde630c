import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Author, now, RawClient, until } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import { freePort, skipWithoutRedis, TestRedis } from './redisServer.ts';
import { TcpProxy } from './tcpProxy.ts';
import { startNode } from './nodes.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

/** Publishes over one connection, many in flight; the ids acknowledged with OK true. */
async function publishAll(url: string, events: NostrEvent[]): Promise<string[]> {
  const c = await RawClient.open(url);
  try {
    const results = await Promise.all(events.map((e) => c.publish(e)));
    return events.filter((_, i) => results[i]![0]).map((e) => e.id);
  } finally {
    c.close();
  }
}


describe.skipIf(skipWithoutRedis)('cluster: a partition healed by NIP-77', () => {
  let redis: TestRedis;
  let proxy: TcpProxy;
  const nodes: TestRelay[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start();
    proxy = await TcpProxy.start(redis.port);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.destroy()));
    await proxy.cut();
    await redis.destroy();
  });

  it('a node cut off from Redis while the stream trims what it missed converges with the others once the partition heals', { timeout: 90_000 }, async () => {
    const [pa, pb, pc] = [await freePort(), await freePort(), await freePort()];
    const url = (p: number) => `ws://127.0.0.1:${p}`;
    // A short stream: most of what C misses is trimmed before it returns, so only NIP-77 can bring it.
    const common = { streamMaxLength: 100, syncIntervalSeconds: 0 };
    nodes.push(await startNode(redis.url, 'a', { ...common, peers: [url(pb), url(pc)] }, pa));
    nodes.push(await startNode(redis.url, 'b', { ...common, peers: [url(pa), url(pc)] }, pb));
    nodes.push(await startNode(proxy.url, 'c', { ...common, peers: [url(pa), url(pb)], whenStreamDown: 'accept' }, pc));
    const [a, b, c] = nodes as [TestRelay, TestRelay, TestRelay];
    await until(() => nodes.every((n) => n.cluster!.node.streamUp), 5000);
    await c.cluster!.peerSync.idle();

    await proxy.cut();
    await until(() => !c.cluster!.node.streamUp, 5000);
    const onA = new Author();
    const onC = new Author();
    const t = now();
    const fromA = await publishAll(a.url, Array.from({ length: 400 }, (_, i) => onA.sign({ content: `from a ${i}`, created_at: t - i })));
    // C, on its own, accepts (whenStreamDown = "accept") and keeps what it could not publish.
    const fromC = await publishAll(c.url, Array.from({ length: 5 }, (_, i) => onC.sign({ content: `from c ${i}`, created_at: t - i })));
    expect(fromA).toHaveLength(400);
    expect(fromC).toHaveLength(5);
    expect(c.cluster!.node.status().backlog).toBe(5);

    const healedAt = Date.now();
    await proxy.heal();
    const all = [...fromA, ...fromC];
    const missing = () => nodes.map((n) => all.filter((id) => !n.services.getById(id)).length);
    await until(() => missing().every((m) => m === 0), 60_000).catch((err: Error) => {
      throw new Error(`${err.message}: missing per node ${missing().join(', ')}`);
    });
    const seconds = (Date.now() - healedAt) / 1000;
    // What the stream had trimmed came from the peers by NIP-77: to C, and to B, which never left
    // but which the short stream outran too (it noticed the gap).
    await Promise.all(nodes.map((n) => n.cluster!.peerSync.idle()));
    const fetched = (n: TestRelay) => n.cluster!.peerSync.peers.reduce((sum, p) => sum + (p.fetched ?? 0), 0);
    expect(fetched(c) + fetched(b)).toBeGreaterThan(0);
    expect(c.cluster!.node.status().backlog).toBe(0);
    console.log(`partition healed in ${seconds.toFixed(1)} s; by NIP-77: ${fetched(c)} events to C, ${fetched(b)} to B`);
  });
});
