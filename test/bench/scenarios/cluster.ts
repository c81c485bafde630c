import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { closeAll, ingest, measureFanout, openClients, subscribeAll } from '../loadgen.ts';
import { SignPool } from '../util/signPool.ts';
import { benchKey, loadSigner, signToJson } from '../util/sign.ts';
import { median, percentile } from '../util/stats.ts';
import { BENCH_NO_POLICIES, startTarget, type Target } from '../util/target.ts';
import type { BenchOptions, ScenarioResult } from '../util/types.ts';
import { RawClient } from '../../helpers/client.ts';
import { freePort, redisAvailable, TestRedis } from '../../cluster/redisServer.ts';

/**
 * The cluster (cluster/): N Hamlet nodes (child processes, each its own LMDB) on one Redis stream,
 * all on this machine. Ingest with 1, 2 and 3 nodes (10 connections per node, 50 events in flight
 * each, OK only once durable and on the stream) beside a single relay without Redis; cross-node
 * delivery latency (publish on node 1 → event at a subscriber on node 2); and the catch-up of a
 * node stopped while the others took an hour of a busy village's posts (10 a second), by the
 * stream (its consumer group) and by NIP-77 from a peer (the stream trimmed short).
 */
export async function run(opts: BenchOptions): Promise<ScenarioResult> {
  const metrics: Record<string, number> = {};
  const units: Record<string, string> = {};
  const notes: string[] = [];
  if (opts.url) return { metrics, notes: ['cluster: starts its own nodes and Redis; not run against --url'] };
  if (!redisAvailable) return { metrics, notes: ['cluster: redis-server is not installed (apt-get install redis-server)'] };
  const redis = await TestRedis.start();
  const pool = new SignPool();
  const reps = opts.quick ? 1 : 3;
  try {
    // Ingest: a fresh set of nodes per run, the same signed events.
    const perRun = opts.quick ? 5_000 : 30_000;
    const spec = { shape: 'feed' as const, label: 'cluster-ingest', authors: 1000, baseTime: Math.floor(Date.now() / 1000) - 120 };
    opts.log(`cluster: signing ${perRun} events`);
    const events = await pool.sign(spec, 0, perRun);
    for (const n of [0, 1, 2, 3]) {
      const k = n === 0 ? 'cluster.ingest.single' : `cluster.ingest.n${n}`;
      const runs: number[] = [];
      const p99s: number[] = [];
      for (let rep = 0; rep < reps; rep++) {
        const nodes = await startNodes(opts, redis, n === 0 ? 1 : n, n === 0 ? undefined : `bench:${randomBytes(4).toString('hex')}`);
        try {
          const clients = (await Promise.all(nodes.map((t) => openClients(t.url, 10)))).flat();
          const r = await ingest(clients, events, { inFlight: 50, timeLimitMs: opts.quick ? 5_000 : 20_000 });
          closeAll(clients);
          runs.push(r.acceptedPerSec);
          p99s.push(percentile(r.latencyMs, 99));
          if (r.rejected) notes.push(`${k}: ${r.rejected} rejected (${Object.keys(r.rejections).join(', ')})`);
        } finally {
          await Promise.all(nodes.map((t) => t.close()));
        }
      }
      metrics[`${k}.events_per_s`] = median(runs);
      units[`${k}.events_per_s`] = 'events/s';
      metrics[`${k}.ok_p99_ms`] = median(p99s);
      units[`${k}.ok_p99_ms`] = 'ms';
    }

    // Cross-node delivery: one event at a time, published on node 1, received on node 2.
    {
      const stream = `bench:${randomBytes(4).toString('hex')}`;
      const nodes = await startNodes(opts, redis, 3, stream);
      try {
        const signer = loadSigner();
        const author = benchKey(`cluster-latency-${randomBytes(4).toString('hex')}`, 0);
        const now = Math.floor(Date.now() / 1000);
        const count = opts.quick ? 100 : 1000;
        const evs = Array.from({ length: count + 5 }, (_, i) => signToJson(signer, author, { kind: 1, created_at: now, tags: [], content: `cross-node ${i}` }));
        const [publisher] = await openClients(nodes[0]!.url, 1);
        const subscribers = await openClients(nodes[1]!.url, 1);
        const s = await subscribeAll(subscribers, 1, { authors: [author.pubkey], kinds: [1], since: now - 5 });
        await measureFanout(publisher!, subscribers, evs.slice(0, 5), s.eose, { perEventTimeoutMs: 2_000, timeLimitMs: 10_000 });
        const r = await measureFanout(publisher!, subscribers, evs.slice(5), s.eose, { perEventTimeoutMs: 2_000, timeLimitMs: 60_000 });
        closeAll([publisher!, ...subscribers]);
        metrics['cluster.cross_node.p50_ms'] = percentile(r.latencyMs, 50);
        metrics['cluster.cross_node.p99_ms'] = percentile(r.latencyMs, 99);
        metrics['cluster.cross_node.delivered_ratio'] = r.expected ? r.delivered / r.expected : 0;
        units['cluster.cross_node.p50_ms'] = units['cluster.cross_node.p99_ms'] = 'ms';
      } finally {
        await Promise.all(nodes.map((t) => t.close()));
      }
    }

    // Catch-up after an hour of downtime: 36,000 posts (10 a second) written while node 3 was stopped.
    const hour = opts.quick ? 3_600 : 36_000;
    opts.log(`cluster: signing ${hour} events for the downtime`);
    const missed = await pool.sign({ ...spec, label: `cluster-downtime-${randomBytes(4).toString('hex')}`, baseTime: Math.floor(Date.now() / 1000) - 3700 }, 0, hour);
    for (const via of ['stream', 'nip77'] as const) {
      const times: number[] = [];
      for (let rep = 0; rep < reps; rep++) {
        const stream = `bench:${randomBytes(4).toString('hex')}`;
        // nip77: a stream far shorter than the downtime, so the node must reconcile with a peer.
        const extra = via === 'nip77' ? { streamMaxLength: 100 } : {};
        const [p1, p2] = [await freePort(), await freePort()];
        const dataDir = mkdtempSync(join(tmpdir(), 'hamlet-bench-catchup-'));
        const nodes = [
          await startNode(opts, redis, 1, stream, [`ws://127.0.0.1:${p2}`], extra, { port: p1 }),
          await startNode(opts, redis, 2, stream, [`ws://127.0.0.1:${p1}`], extra, { port: p2, dataDir }),
        ];
        await nodes[1]!.close();
        const clients = await openClients(nodes[0]!.url, 10);
        const r = await ingest(clients, missed, { inFlight: 50, timeLimitMs: 120_000 });
        closeAll(clients);
        if (r.accepted < missed.length) notes.push(`catch-up ${via}: only ${r.accepted} of ${missed.length} written`);
        const t0 = performance.now();
        nodes[1] = await startNode(opts, redis, 2, stream, [nodes[0]!.url], extra, { dataDir, port: p2 });
        await until(async () => (await countOn(nodes[1]!.url)) >= r.accepted, 300_000);
        times.push((performance.now() - t0) / 1000);
        await Promise.all(nodes.map((t) => t.close()));
        rmSync(dataDir, { recursive: true, force: true });
      }
      metrics[`cluster.catch_up.${via}.s`] = median(times);
      units[`cluster.catch_up.${via}.s`] = 's';
    }
    metrics['cluster.catch_up.events'] = hour;
    notes.push(`catch-up figures include the node's own start (tsx, LMDB, verifier threads), about a second; ${hour} events missed`);
  } finally {
    await pool.close();
    await redis.destroy();
  }
  return { metrics, units, notes };
}

type Node = Target;

async function startNode(opts: BenchOptions, redis: TestRedis, i: number, stream: string | undefined, peers: string[], cluster: Record<string, unknown>, at: { dataDir?: string; port?: number } = {}): Promise<Node> {
  return startTarget(opts, {
    dataDir: at.dataDir,
    overrides: {
      policies: BENCH_NO_POLICIES,
      relay: { port: at.port ?? 0 },
      ...(stream ? { cluster: { enabled: true, redisUrl: redis.url, nodeId: `n${i}`, stream, peers, syncIntervalSeconds: 0, ...cluster } } : {}),
    },
  });
}

/** n nodes on one stream (or, without a stream, one relay with no cluster), each listing the others as peers. */
async function startNodes(opts: BenchOptions, redis: TestRedis, n: number, stream: string | undefined, cluster: Record<string, unknown> = {}): Promise<Node[]> {
  const ports = await Promise.all(Array.from({ length: n }, () => freePort()));
  const url = (p: number) => `ws://127.0.0.1:${p}`;
  return Promise.all(ports.map((port, i) => startNode(opts, redis, i + 1, stream, ports.filter((p) => p !== port).map(url), cluster, { port })));
}

async function countOn(url: string): Promise<number> {
  const c = await RawClient.open(url);
  try {
    c.send(['COUNT', 'n', { kinds: [1] }]);
    const f = await c.next((f) => f[0] === 'COUNT' || f[0] === 'CLOSED', 10_000);
    return f[0] === 'COUNT' ? Number((f[2] as { count: number }).count) : 0;
  } finally {
    c.close();
  }
}

async function until(check: () => Promise<boolean>, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error('node did not catch up in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
