import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import { createTsPool } from '../../relay/util/tsPool.ts';
import type { InferenceResult, InferenceTask } from '../inference.ts';

/**
 * The inference pool: worker threads (one ONNX intra-op thread each, see transformers/runtime.ts),
 * sized to the cores, so model work never runs on the caller's event loop. The threads start on
 * the first task: a relay whose DVMs, labeler and toxicity policy are off never pays for them.
 */
export class InferencePool {
  readonly size: number;
  private piscina: Promise<Piscina<InferenceTask, InferenceResult>> | undefined;
  /** The started pool (for the queue length, read synchronously). */
  private pool: Piscina<InferenceTask, InferenceResult> | undefined;
  private closed = false;

  /** `workers` 0 means one per core. */
  constructor(workers = 0) {
    this.size = workers > 0 ? workers : availableParallelism();
  }

  /** Whether the worker threads have started. */
  get started(): boolean {
    return this.piscina !== undefined;
  }

  run(task: InferenceTask): Promise<InferenceResult> {
    if (this.closed) return Promise.reject(new Error('the inference pool is closed'));
    // Workers are never retired (tsPool's default): each holds its loaded models.
    this.piscina ??= createTsPool<InferenceTask, InferenceResult>(new URL('./worker.ts', import.meta.url), this.size).then((p) => (this.pool = p));
    return this.pool ? this.pool.run(task) : this.piscina.then((p) => p.run(task));
  }

  /** Tasks waiting for a free worker. */
  get queued(): number {
    return this.pool?.queueSize ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    await (await this.piscina?.catch(() => undefined))?.destroy();
  }
}
