import type { LabelScores, ModelInfo } from '../types.ts';

/** A small trained model over embeddings: scores per label for a vector. */
export interface Head {
  readonly kind: 'logistic' | 'knn';
  readonly labels: readonly string[];
  readonly dims: number;
  /** The embedding model whose vectors it was trained on; it is meaningless over any other. */
  readonly baseModel: ModelInfo;
  predict(vector: Float32Array): LabelScores;
  toFile(): HeadFile;
}

/** The on-disk form of a head (JSON; float arrays as base64 of little-endian float32). */
export interface HeadFile {
  format: 'hamlet-head/1';
  kind: 'logistic' | 'knn';
  labels: string[];
  dims: number;
  baseModel: ModelInfo;
  params: Record<string, number>;
  arrays: Record<string, string>;
  /** kNN: the label indices of each stored example. */
  exampleLabels?: number[][];
}

export function encodeFloats(a: Float32Array): string {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
}

export function decodeFloats(s: string): Float32Array {
  const bytes = Buffer.from(s, 'base64');
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float32Array(copy.buffer);
}
