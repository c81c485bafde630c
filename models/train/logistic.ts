import { seededRandom, shuffle, type Example } from './dataset.ts';
import { decodeFloats, encodeFloats, type Head, type HeadFile } from './head.ts';
import type { LabelScores, ModelInfo } from '../types.ts';

export interface LogisticOptions {
  epochs?: number;
  learningRate?: number;
  /** L2 penalty on the weights. */
  l2?: number;
  /** Weight a label's positives by negatives/positives (at most 10), so rare labels are learnt. */
  balance?: boolean;
  seed?: number;
}

const sigmoid = (x: number): number => 1 / (1 + Math.exp(-x));

/** Multi-label logistic regression: one independent sigmoid per label over the embedding. */
export class LogisticHead implements Head {
  readonly kind = 'logistic';

  constructor(
    readonly labels: readonly string[],
    readonly dims: number,
    readonly baseModel: ModelInfo,
    /** labels × dims, row-major. */
    private readonly weights: Float32Array,
    private readonly bias: Float32Array,
    private readonly params: Record<string, number> = {},
  ) {}

  predict(vector: Float32Array): LabelScores {
    const out: LabelScores = {};
    this.labels.forEach((label, l) => {
      let z = this.bias[l]!;
      const base = l * this.dims;
      for (let j = 0; j < this.dims; j++) z += this.weights[base + j]! * vector[j]!;
      out[label] = sigmoid(z);
    });
    return out;
  }

  toFile(): HeadFile {
    return {
      format: 'hamlet-head/1',
      kind: 'logistic',
      labels: [...this.labels],
      dims: this.dims,
      baseModel: this.baseModel,
      params: this.params,
      arrays: { weights: encodeFloats(this.weights), bias: encodeFloats(this.bias) },
    };
  }

  static fromFile(f: HeadFile): LogisticHead {
    return new LogisticHead(f.labels, f.dims, f.baseModel, decodeFloats(f.arrays.weights!), decodeFloats(f.arrays.bias!), f.params);
  }
}

/** Stochastic gradient descent on the (optionally class-balanced) binary cross-entropy of every label. */
export function trainLogistic(examples: readonly Example[], labels: readonly string[], baseModel: ModelInfo, options: LogisticOptions = {}): LogisticHead {
  const { epochs = 60, learningRate = 0.5, l2 = 1e-4, balance = true, seed = 1 } = options;
  if (examples.length === 0) throw new Error('no training examples');
  const dims = examples[0]!.vector.length;
  const L = labels.length;
  const index = new Map(labels.map((l, i) => [l, i]));
  const targets = examples.map((e) => {
    const y = new Uint8Array(L);
    for (const l of e.labels) if (index.has(l)) y[index.get(l)!] = 1;
    return y;
  });
  const positiveWeight = labels.map((_, l) => {
    const pos = targets.reduce((n, y) => n + y[l]!, 0);
    return balance && pos > 0 ? Math.min(10, Math.max(1, (examples.length - pos) / pos)) : 1;
  });
  const w = new Float32Array(L * dims);
  const b = new Float32Array(L);
  const random = seededRandom(seed);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    const rate = learningRate / (1 + epoch * 0.05);
    for (const i of shuffle(order, random)) {
      const x = examples[i]!.vector;
      const y = targets[i]!;
      for (let l = 0; l < L; l++) {
        const base = l * dims;
        let z = b[l]!;
        for (let j = 0; j < dims; j++) z += w[base + j]! * x[j]!;
        const g = (sigmoid(z) - y[l]!) * (y[l] ? positiveWeight[l]! : 1) * rate;
        for (let j = 0; j < dims; j++) w[base + j] = w[base + j]! * (1 - rate * l2) - g * x[j]!;
        b[l] = b[l]! - g;
      }
    }
  }
  return new LogisticHead(labels, dims, baseModel, w, b, { epochs, learningRate, l2, balance: balance ? 1 : 0, seed });
}
