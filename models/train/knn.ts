import { topK } from '../vectorSearch.ts';
import type { Example } from './dataset.ts';
import { decodeFloats, encodeFloats, type Head, type HeadFile } from './head.ts';
import type { LabelScores, ModelInfo } from '../types.ts';

/**
 * k nearest neighbours: a label's score is the similarity-weighted share of the k most similar
 * training examples that carry it. Nothing to fit; good with few examples per label.
 */
export class KnnHead implements Head {
  readonly kind = 'knn';
  private readonly rows: Float32Array[];

  constructor(
    readonly labels: readonly string[],
    readonly dims: number,
    readonly baseModel: ModelInfo,
    readonly k: number,
    private readonly vectors: Float32Array,
    private readonly exampleLabels: number[][],
  ) {
    this.rows = exampleLabels.map((_, i) => vectors.subarray(i * dims, (i + 1) * dims));
  }

  predict(vector: Float32Array): LabelScores {
    const sums = new Float64Array(this.labels.length);
    let total = 0;
    for (const { index, score } of topK(vector, this.rows, this.k)) {
      const weight = Math.max(score, 0);
      total += weight;
      for (const l of this.exampleLabels[index]!) sums[l] = sums[l]! + weight;
    }
    return Object.fromEntries(this.labels.map((label, l) => [label, total > 0 ? sums[l]! / total : 0]));
  }

  toFile(): HeadFile {
    return {
      format: 'hamlet-head/1',
      kind: 'knn',
      labels: [...this.labels],
      dims: this.dims,
      baseModel: this.baseModel,
      params: { k: this.k },
      arrays: { vectors: encodeFloats(this.vectors) },
      exampleLabels: this.exampleLabels,
    };
  }

  static fromFile(f: HeadFile): KnnHead {
    return new KnnHead(f.labels, f.dims, f.baseModel, f.params.k ?? 10, decodeFloats(f.arrays.vectors!), f.exampleLabels ?? []);
  }
}

export function trainKnn(examples: readonly Example[], labels: readonly string[], baseModel: ModelInfo, { k = 10 }: { k?: number } = {}): KnnHead {
  if (examples.length === 0) throw new Error('no training examples');
  const dims = examples[0]!.vector.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const vectors = new Float32Array(examples.length * dims);
  examples.forEach((e, i) => vectors.set(e.vector, i * dims));
  const exampleLabels = examples.map((e) => [...new Set(e.labels)].flatMap((l) => (index.has(l) ? [index.get(l)!] : [])));
  return new KnnHead(labels, dims, baseModel, k, vectors, exampleLabels);
}
