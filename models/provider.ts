import { Batcher, type BatcherOptions } from './pool/batcher.ts';
import type { InferencePool } from './pool/pool.ts';
import type { ModelSpec } from './inference.ts';
import type { Classifier, Embedder, LabelScores, ModelInfo } from './types.ts';

/**
 * Embedder and Classifier over the inference pool: callers' texts are batched, run in a worker,
 * and split back. Which model runs is entirely in the spec (built-in or a transformers.js folder).
 */
export class PooledEmbedder implements Embedder {
  private readonly batcher: Batcher<Float32Array>;

  constructor(
    readonly info: ModelInfo,
    readonly dims: number,
    spec: ModelSpec,
    pool: InferencePool,
    batching: BatcherOptions,
  ) {
    this.batcher = new Batcher(async (texts) => {
      const r = await pool.run({ spec, texts });
      if (r.kind !== 'embedding') throw new Error(`model ${info.id} returned ${r.kind}, not embeddings`);
      if (r.dims !== dims && texts.length > 0) throw new Error(`model ${info.id} returned ${r.dims} dimensions, expected ${dims}`);
      return texts.map((_, i) => r.data.slice(i * r.dims, (i + 1) * r.dims));
    }, batching);
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    return this.batcher.submit(texts);
  }
}

export class PooledClassifier implements Classifier {
  private readonly batcher: Batcher<LabelScores>;

  constructor(
    readonly info: ModelInfo,
    readonly labels: readonly string[],
    spec: ModelSpec,
    pool: InferencePool,
    batching: BatcherOptions,
  ) {
    this.batcher = new Batcher(async (texts) => {
      const r = await pool.run({ spec, texts });
      if (r.kind !== 'scores') throw new Error(`model ${info.id} returned ${r.kind}, not label scores`);
      const n = r.labels.length;
      return texts.map((_, i) => Object.fromEntries(r.labels.map((l, j) => [l, r.data[i * n + j]!])));
    }, batching);
  }

  classify(texts: readonly string[]): Promise<LabelScores[]> {
    return this.batcher.submit(texts);
  }
}
