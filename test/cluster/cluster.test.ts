import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Author, fetchEvents, publish, Relay, until } from '../helpers/client.ts';
import type { TestRelay } from '../helpers/relay.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { skipWithoutRedis, TestRedis } from './redisServer.ts';
import { startNode } from './nodes.ts';
import { hamlet } from '../cli/helpers.ts';

describe.skipIf(skipWithoutRedis)('cluster: three nodes on one Redis stream', () => {
  let redis: TestRedis;
  let nodes: TestRelay[] = [];
  const clients: Relay[] = [];
  const connect = async (r: TestRelay) => {
    const c = await Relay.connect(r.url);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    redis = await TestRedis.start();
    nodes = await Promise.all(['a', 'b', 'c'].map((id) => startNode(redis.url, id)));
    await until(() => nodes.every((n) => n.cluster!.node.streamUp), 5000);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await Promise.all(nodes.map((n) => n.destroy()));
    await redis.destroy();
  });

  it('an event acknowledged on one node reaches live subscribers on the others and is stored there', async () => {
    const [a, b, c] = nodes as [TestRelay, TestRelay, TestRelay];
    const author = new Author();
    const seen = { b: [] as NostrEvent[], c: [] as NostrEvent[] };
    const subB = (await connect(b)).subscribe([{ authors: [author.pubkey] }], { onevent: (e) => void seen.b.push(e as NostrEvent) });
    const subC = (await connect(c)).subscribe([{ authors: [author.pubkey] }], { onevent: (e) => void seen.c.push(e as NostrEvent) });
    const onA = await connect(a);
    const sent = [author.sign({ content: 'one' }), author.sign({ content: 'two', kind: 20001 }), author.sign({ content: 'three' })];
    for (const e of sent) expect(await publish(onA, e)).toEqual({ ok: true, message: '' });
    await until(() => seen.b.length === 3 && seen.c.length === 3, 5000).catch((err: Error) => {
      throw new Error(`${err.message}: b saw ${seen.b.map((e) => e.content).join(",")}, c saw ${seen.c.map((e) => e.content).join(",")}`);
    });
    expect(seen.b.map((e) => e.id).sort()).toEqual(sent.map((e) => e.id).sort());
    // Stored on every node except the ephemeral one (kind 20001), which is only delivered.
    for (const n of [b, c]) {
      const { events } = await fetchEvents(await connect(n), [{ authors: [author.pubkey] }]);
      expect(events.map((e) => e.content).sort()).toEqual(['one', 'three']);
    }
    expect(a.cluster!.node.counts.published).toBeGreaterThanOrEqual(3);
    const metrics = await (await fetch(a.url.replace('ws', 'http') + '/metrics')).text();
    expect(metrics).toMatch(/^hamlet_cluster_stream_up 1$/m);
    expect(metrics).toMatch(/^hamlet_cluster_events_total\{outcome="published"\} [1-9]/m);
    expect(metrics).toMatch(/^hamlet_cluster_events_total\{outcome="received-stored"\} [1-9]/m);
    subB.close();
    subC.close();
  });

  it('an event from another node is not judged again nor published back (no echo)', async () => {
    const [a, b] = nodes as [TestRelay, TestRelay];
    const before = b.cluster!.node.counts.published;
    const e = new Author().sign({ content: 'no echo' });
    expect((await publish(await connect(a), e)).ok).toBe(true);
    await until(() => b.services.getById(e.id) !== undefined, 5000);
    expect(b.cluster!.node.counts.published).toBe(before);
  });

  it('a held event stays on its node until a moderator releases it; then every node has it', async () => {
    const [a, b] = nodes as [TestRelay, TestRelay];
    const e = new Author().sign({ content: 'please hold me for review' });
    const r = await publish(await connect(a), e);
    expect(r.ok).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(b.services.getById(e.id)).toBeUndefined();
    expect(await a.services.releaseHeld(e.id)).toBe(true);
    await until(() => b.services.getById(e.id) !== undefined, 5000);
  });

  it('`hamlet stats` shows every node: its address, state, counts and place in the stream', { timeout: 60_000 }, async () => {
    const [a] = nodes as [TestRelay];
    await until(() => a.cluster!.node.status().published > 0, 5000);
    await new Promise((r) => setTimeout(r, 1100)); // one heartbeat
    const env = { HAMLET_CLUSTER_ENABLED: 'true', HAMLET_CLUSTER_REDIS_URL: redis.url, HAMLET_CLUSTER_NODE_ID: 'a', HAMLET_CLUSTER_STREAM: 'test:events' };
    const json = await hamlet(['stats', '--json', '-d', a.dataDir], { env });
    expect(json.code).toBe(0);
    const view = (JSON.parse(json.stdout) as { cluster: { nodes: { node: string; url: string; streamUp: boolean; pending: number; published: number }[] } }).cluster;
    expect(view.nodes.map((n) => n.node)).toEqual(['a', 'b', 'c']);
    expect(view.nodes[0]).toMatchObject({ url: a.url, streamUp: true, pending: 0 });
    // Redis unreachable: the local figures still print, with one line saying why the cluster's do not.
    const down = await hamlet(['stats', '-d', a.dataDir], { env: { ...env, HAMLET_CLUSTER_REDIS_URL: 'redis://127.0.0.1:1' } });
    expect(down.code).toBe(0);
    expect(down.stdout).toMatch(/events by \d+ authors/);
    expect(down.stdout).toMatch(/cluster: Redis at redis:\/\/127\.0\.0\.1:1\/? is unreachable \(connection refused\)/);
  });

  it('Redis down: new events are refused with a clear error, reads and live subscriptions go on; it resumes when Redis returns', async () => {
    const [a, b] = nodes as [TestRelay, TestRelay];
    const author = new Author();
    const onA = await connect(a);
    const stored = author.sign({ content: 'before the outage' });
    expect((await publish(onA, stored)).ok).toBe(true);
    const live: NostrEvent[] = [];
    onA.subscribe([{ authors: [author.pubkey], kinds: [1] }], { onevent: (e) => void live.push(e as NostrEvent) });

    await redis.kill();
    await until(() => !a.cluster!.node.streamUp, 5000);
    const refused = await publish(onA, author.sign({ content: 'during the outage' }));
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/^error: the cluster stream is unreachable/);
    // The node still serves its own clients.
    const { events } = await fetchEvents(await connect(a), [{ authors: [author.pubkey] }]);
    expect(events.map((e) => e.id)).toEqual([stored.id]);
    expect((await fetch(a.url.replace('ws', 'http') + '/health')).status).toBe(200);

    await redis.start();
    await until(() => a.cluster!.node.streamUp && b.cluster!.node.streamUp, 10_000);
    const after = author.sign({ content: 'after the outage' });
    expect(await publish(onA, after)).toEqual({ ok: true, message: '' });
    await until(() => b.services.getById(after.id) !== undefined && live.some((e) => e.id === after.id), 10_000);
  });
});
