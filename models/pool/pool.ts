import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import { createTsPool } from '../../relay/util/tsPool.ts';
import type { InferenceResult, InferenceTask } from '../inference.ts';

/**
 * The inference pool: worker threads (one ONNX intra-op thread each, see transformers/runtime.ts),
 * sized to the cores, so model work never runs on the caller's event loop.
 */
export class InferencePool {
  readonly size: number;
  private readonly piscina: Piscina<InferenceTask, InferenceResult>;

  /** `workers` 0 means one per core. */
  constructor(workers = 0) {
    this.size = workers > 0 ? workers : availableParallelism();
    // Workers are never retired (tsPool's default): each holds its loaded models.
    this.piscina = createTsPool<InferenceTask, InferenceResult>(new URL('./worker.ts', import.meta.url), this.size);
  }

  run(task: InferenceTask): Promise<InferenceResult> {
    return this.piscina.run(task);
  }

  /** Tasks waiting for a free worker. */
  get queued(): number {
    return this.piscina.queueSize;
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
