import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import { fileURLToPath } from 'node:url';
import type { InferenceResult, InferenceTask } from './spec.ts';

/**
 * The inference pool: worker threads (one ONNX intra-op thread each, see transformers/runtime.ts),
 * sized to the cores, so model work never runs on the caller's event loop. Workers start
 * through bootstrap.mjs, which registers tsx (piscina does not take tsWorkerEntry's data: URL).
 */
export class InferencePool {
  readonly size: number;
  private readonly piscina: Piscina<InferenceTask, InferenceResult>;

  /** `workers` 0 means one per core. */
  constructor(workers = 0) {
    this.size = workers > 0 ? workers : availableParallelism();
    this.piscina = new Piscina({
      filename: fileURLToPath(new URL('./bootstrap.mjs', import.meta.url)),
      minThreads: this.size,
      maxThreads: this.size,
      idleTimeout: Infinity, // never retire workers: each holds loaded models
    });
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
