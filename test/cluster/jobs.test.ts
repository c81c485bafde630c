import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { skipWithoutRedis, TestRedis } from './redisServer.ts';
import { ModelJobQueue, queuedModels } from '../../cluster/modelJobs.ts';
import { RedisJobClaims } from '../../cluster/jobClaims.ts';
import { inlineEmbedder, inlineToxicity } from '../../models/index.ts';
import { Author, RawClient } from '../helpers/client.ts';
import { startTestRelay } from '../helpers/relay.ts';
import { exempt } from './nodes.ts';
import { Redis } from 'ioredis';

const BIN = fileURLToPath(new URL('../../bin/hamlet.js', import.meta.url));

describe.skipIf(skipWithoutRedis)('cluster: model jobs on a worker node (BullMQ)', () => {
  let redis: TestRedis;
  let dir: string;
  let worker: ReturnType<typeof spawn>;
  let queue: ModelJobQueue;

  beforeAll(async () => {
    redis = await TestRedis.start();
    dir = mkdtempSync(join(tmpdir(), 'hamlet-worker-'));
    const file = join(dir, 'hamlet.toml');
    writeFileSync(file, `[log]\nlevel = "info"\npretty = "never"\n[models]\nembedding = "builtin"\ntoxicity = "builtin"\nworkers = 1\n[cluster]\nredisUrl = "${redis.url}"\njobQueue = "test-jobs"\n`);
    worker = spawn(process.execPath, [BIN, 'worker', '-c', file], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NODE_OPTIONS: '' } });
    await new Promise<void>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error(`worker did not start: ${out}`)), 30_000);
      const onData = (d: Buffer) => {
        out += d.toString();
        if (out.includes('taking jobs')) {
          clearTimeout(t);
          resolve();
        }
      };
      worker.stdout!.on('data', onData);
      worker.stderr!.on('data', onData);
    });
    queue = new ModelJobQueue({ redisUrl: redis.url, name: 'test-jobs', timeoutMs: 10_000 });
  }, 60_000);
  afterAll(async () => {
    await queue?.close();
    if (worker && worker.exitCode === null) {
      const exited = new Promise((r) => worker.once('exit', r));
      worker.kill('SIGTERM');
      await exited;
    }
    await redis?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a relay node\'s models run as jobs the worker takes, with the same results as local inference', async () => {
    const models = await queuedModels(queue, 10_000);
    const texts = ['good morning, village', 'you are an idiot and a liar'];
    const [remote, local] = [await models.embedder.embed(texts), await inlineEmbedder().embed(texts)];
    expect(models.embedder.dims).toBe(local[0]!.length);
    // The worker's pool computes in float32: equal to local inference within that precision.
    remote.forEach((v, i) => v.forEach((x, j) => expect(x).toBeCloseTo(local[i]![j]!, 5)));
    const [scores, localScores] = [await models.toxicity.classify(texts), await inlineToxicity().classify(texts)];
    scores.forEach((s, i) => {
      expect(Object.keys(s).sort()).toEqual(Object.keys(localScores[i]!).sort());
      for (const [label, x] of Object.entries(s)) expect(x).toBeCloseTo(localScores[i]![label]!, 5);
    });
    expect(scores[1]!.toxic).toBeGreaterThan(scores[0]!.toxic!);
    expect((await queue.counts()).completed).toBe(0); // done jobs are not kept
  });

  it('a node with cluster.models = "workers" runs no model threads: its DVMs embed through the worker', async () => {
    const node = await startTestRelay(
      { cluster: { enabled: true, redisUrl: redis.url, nodeId: 'w', stream: 'test:worker-events', models: 'workers', jobQueue: 'test-jobs' }, policies: exempt, dvms: { enabled: true } },
      { models: undefined },
    );
    try {
      expect(node.summary.models?.embedding).toBe(inlineEmbedder().info.id);
      // BullMQ numbers the jobs added to a queue: the node's embeddings must be among them
      const redisClient = new Redis(redis.url);
      const jobsAdded = async () => Number((await redisClient.get('bull:test-jobs:id')) ?? 0);
      const before = await jobsAdded();
      const client = await RawClient.open(node.url);
      const author = new Author();
      const [ok] = await client.publish(author.sign({ content: 'compost and tomatoes in the garden' }));
      expect(ok).toBe(true);
      await node.dvms!.signals!.flush();
      const post = [...node.dvms!.signals!.posts.posts.values()][0]!;
      expect(post.vector?.dims).toBe(inlineEmbedder().dims);
      expect(await jobsAdded()).toBeGreaterThan(before);
      redisClient.disconnect();
      client.close();
    } finally {
      await node.destroy();
    }
  }, 30_000);

  it('a DVM job request heard by every node is claimed by one only', async () => {
    const nodes = [new RedisJobClaims(redis.url), new RedisJobClaims(redis.url), new RedisJobClaims(redis.url)];
    try {
      const wins = await Promise.all(nodes.map((c) => c.claim('dvm-pubkey:request-id')));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await nodes[0]!.claim('dvm-pubkey:another-request')).toBe(true);
    } finally {
      await Promise.all(nodes.map((c) => c.close()));
    }
  });

  it('bad input: a malformed job fails with a clear error; no worker on a queue is a clear error too', async () => {
    await expect(queue.run({ task: 'embed', texts: 'not a list' } as never)).rejects.toThrow(/invalid: a model job carries a list of texts/);
    const lonely = new ModelJobQueue({ redisUrl: redis.url, name: 'nobody-here' });
    try {
      await expect(queuedModels(lonely, 300)).rejects.toThrow(/no model worker has joined the queue/);
    } finally {
      await lonely.close();
    }
  });
});
