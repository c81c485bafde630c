import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { finalizeEvent } from 'nostr-tools';
import { Author, until } from '../helpers/client.ts';
import { startTestRelay, type TestRelay } from '../helpers/relay.ts';
import { exempt } from './nodes.ts';
import { skipWithoutRedis, TestRedis } from './redisServer.ts';

/** The admin console's health screen shows every node of the cluster, as `hamlet stats` does. */
describe.skipIf(skipWithoutRedis)('cluster: per-node status on the admin page', () => {
  let redis: TestRedis;
  let nodes: TestRelay[] = [];
  const admin = new Author();

  beforeAll(async () => {
    redis = await TestRedis.start();
    nodes = await Promise.all(
      ['north', 'south'].map((nodeId) =>
        startTestRelay({ relay: { admins: [admin.pubkey] }, cluster: { enabled: true, redisUrl: redis.url, nodeId, stream: 'test:health', heartbeatSeconds: 1 }, policies: exempt }),
      ),
    );
    await until(() => nodes.every((n) => n.cluster!.node.streamUp), 5000);
  });
  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.destroy()));
    await redis?.destroy();
  });

  it('GET /api/health (NIP-98, admin) lists both nodes with their addresses; Redis gone, it says why', async () => {
    const base = nodes[0]!.url.replace(/^ws/, 'http');
    const health = async () => {
      const auth = finalizeEvent({ kind: 27235, created_at: Math.floor(Date.now() / 1000), content: '', tags: [['u', `${base}/api/health`], ['method', 'GET']] }, admin.sk);
      const res = await fetch(`${base}/api/health`, { headers: { Authorization: `Nostr ${Buffer.from(JSON.stringify(auth)).toString('base64')}` } });
      expect(res.status).toBe(200);
      return (await res.json()) as { cluster: { error?: string; nodes?: { node: string; url: string }[] }; mirrors: unknown[] };
    };
    // a node's first heartbeat goes out before its port is bound (port 0); the next one names it
    await until(async () => ((await health()).cluster.nodes ?? []).filter((n) => !n.url.endsWith(':0')).length === 2, 8000);
    const h = await health();
    expect(h.cluster.nodes!.map((n) => n.node).sort()).toEqual(['north', 'south']);
    expect(h.cluster.nodes!.find((n) => n.node === 'south')!.url).toBe(nodes[1]!.url);
    expect(h.mirrors).toEqual([]);
    // a console polling in several tabs: one Redis connection per heartbeat period, not one per request
    const connections = async () => {
      const client = new Redis(redis.url);
      try {
        return Number(/total_connections_received:(\d+)/.exec(await client.info('stats'))![1]);
      } finally {
        client.disconnect();
      }
    };
    const before = await connections();
    await Promise.all(Array.from({ length: 5 }, () => health()));
    expect((await connections()) - before).toBeLessThanOrEqual(2); // our own reading, and at most one period's turn
    await redis.destroy();
    // the view is read again once a heartbeat period (1 s here) has passed
    await until(async () => /^Redis at .* is unreachable/.test((await health()).cluster.error ?? ''), 8000);
  });
});
