import { Queue, QueueEvents, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { villageEmbedder, type Classifier, type Embedder, type LabelScores, type ModelInfo, type Models } from '../models/index.ts';
import type { Logger } from '../relay/log.ts';
import type { Config } from '../config/schema.ts';

/**
 * Model work as BullMQ jobs, so inference runs on separate worker nodes (`hamlet worker`) rather
 * than on the relays: a relay node gets `queuedModels(...)`, the same Embedder and Classifier the
 * DVMs, the labeler and the policies already use, whose calls become jobs a worker takes.
 */
export type ModelJob = { task: 'embed'; texts: string[] } | { task: 'classify'; texts: string[] };
type ModelResult = { vectors: number[][] } | { scores: LabelScores[] };

/** What a worker announces about the models it runs (a key beside the queue). */
interface WorkerModels {
  embedder: { info: ModelInfo; dims: number };
  toxicity: { info: ModelInfo; labels: string[] };
}

const connection = (url: string) => ({ url, maxRetriesPerRequest: null, enableOfflineQueue: true, connectTimeout: 2000 });
const modelsKey = (name: string) => `hamlet:${name}:models`;

export interface ModelJobQueueOptions {
  redisUrl: string;
  name: string;
  /** How long a caller waits for a worker to finish a job. */
  timeoutMs?: number;
}

/** The relay side: adds jobs and waits for their results. */
export class ModelJobQueue {
  private readonly queue: Queue;
  private readonly events: QueueEvents;
  /** For the workers' announcement, beside the queue's own connections. */
  private readonly redis: Redis;
  private readonly timeoutMs: number;

  constructor(private readonly opts: ModelJobQueueOptions) {
    this.queue = new Queue(opts.name, { connection: connection(opts.redisUrl) });
    this.events = new QueueEvents(opts.name, { connection: connection(opts.redisUrl) });
    this.redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
    this.redis.on('error', () => undefined);
    this.timeoutMs = opts.timeoutMs ?? 60_000;
  }

  /** Runs one job on whichever worker takes it first; rejects with the worker's error or on timeout. */
  async run(job: ModelJob): Promise<ModelResult> {
    await this.events.waitUntilReady();
    // Removed once its result is read, not on completion: removed at once, a quick worker's job
    // can be gone before waitUntilFinished looks at it ("Missing key for job ... isFinished", a
    // known BullMQ race). Jobs whose waiter is gone still go after a minute.
    const added = await this.queue.add(job.task, job, { removeOnComplete: { age: 60, count: 1000 }, removeOnFail: 1000, attempts: 2 });
    const result = (await added.waitUntilFinished(this.events, this.timeoutMs)) as ModelResult;
    await added.remove().catch(() => undefined);
    return result;
  }

  /** The models the workers announced, once one has started (undefined after waitMs). */
  async workerModels(waitMs = 10_000): Promise<WorkerModels | undefined> {
    const end = Date.now() + waitMs;
    for (;;) {
      const json = await this.redis.get(modelsKey(this.opts.name)).catch(() => null);
      if (json) return JSON.parse(json) as WorkerModels;
      if (Date.now() >= end) return undefined;
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  /** Jobs waiting, running, done and failed (for `hamlet stats`). */
  counts(): Promise<Record<string, number>> {
    return this.queue.getJobCounts('waiting', 'active', 'completed', 'failed', 'delayed');
  }

  async close(): Promise<void> {
    await this.events.close();
    await this.queue.close();
    this.redis.disconnect();
  }
}

/**
 * Models whose every call is a job for the worker nodes: hand these to startDvms (or the labeler)
 * instead of openModels' local ones. Throws when no worker has announced its models in time.
 */
export async function queuedModels(queue: ModelJobQueue, waitMs?: number): Promise<Models> {
  const announced = await queue.workerModels(waitMs);
  if (!announced) throw new Error('no model worker has joined the queue (start one with `hamlet worker`)');
  const embedder: Embedder = {
    info: announced.embedder.info,
    dims: announced.embedder.dims,
    async embed(texts) {
      const r = (await queue.run({ task: 'embed', texts: [...texts] })) as { vectors: number[][] };
      return r.vectors.map((v) => Float32Array.from(v));
    },
  };
  const toxicity: Classifier = {
    info: announced.toxicity.info,
    labels: announced.toxicity.labels,
    async classify(texts) {
      return ((await queue.run({ task: 'classify', texts: [...texts] })) as { scores: LabelScores[] }).scores;
    },
  };
  return { embedder, toxicity, close: () => queue.close() };
}

export interface ModelWorkerOptions {
  redisUrl: string;
  name: string;
  models: Models;
  /** Jobs run at once on this worker. */
  concurrency?: number;
  log: Logger;
}

export interface ModelWorker {
  /** Jobs this worker finished and failed. */
  readonly done: { completed: number; failed: number };
  close(): Promise<void>;
}

/** A worker node: takes model jobs from the queue and runs them on its own models. */
export async function startModelWorker(opts: ModelWorkerOptions): Promise<ModelWorker> {
  const { models, log } = opts;
  const done = { completed: 0, failed: 0 };
  const worker = new Worker<ModelJob, ModelResult>(
    opts.name,
    async (job) => {
      const data = job.data;
      if (!Array.isArray(data?.texts) || !data.texts.every((t) => typeof t === 'string')) throw new Error('invalid: a model job carries a list of texts');
      if (data.task === 'embed') return { vectors: (await models.embedder.embed(data.texts)).map((v) => Array.from(v)) };
      if (data.task === 'classify') return { scores: await models.toxicity.classify(data.texts) };
      throw new Error(`invalid: unknown model task ${String((data as { task?: unknown }).task)}`);
    },
    { connection: connection(opts.redisUrl), concurrency: opts.concurrency ?? 2, autorun: false },
  );
  worker.on('completed', () => done.completed++);
  worker.on('failed', (job, err) => {
    done.failed++;
    log.warn({ job: job?.id, err: err.message }, 'model worker: a job failed');
  });
  worker.on('error', (err) => log.warn({ err: err.message }, 'model worker: queue connection problem'));
  await worker.waitUntilReady();
  const announced: WorkerModels = {
    embedder: { info: models.embedder.info, dims: models.embedder.dims },
    toxicity: { info: models.toxicity.info, labels: [...models.toxicity.labels] },
  };
  const redis = new Redis(opts.redisUrl, { maxRetriesPerRequest: 1, connectTimeout: 2000 });
  try {
    await redis.set(modelsKey(opts.name), JSON.stringify(announced));
  } finally {
    redis.disconnect();
  }
  void worker.run();
  log.info({ queue: opts.name, embedding: models.embedder.info.id, toxicity: models.toxicity.info.id }, `model worker: taking jobs from ${opts.name}`);
  return {
    done,
    async close() {
      await worker.close();
    },
  };
}

/**
 * A node's models when cluster.models = "workers": the queued models of the cluster's worker
 * nodes, with the meaning this node learns from its own copy of the village's posts beside the
 * embedding (every node holds every event, so they learn the same model).
 */
export async function workerModels(config: Pick<Config, 'cluster' | 'models'>, waitMs = 30_000): Promise<Models> {
  const m = await queuedModels(new ModelJobQueue({ redisUrl: config.cluster.redisUrl, name: config.cluster.jobQueue }), waitMs);
  return { ...m, embedder: villageEmbedder(config.models, m.embedder) };
}
