/** What a pool worker is asked to run: plain data, so it crosses the thread boundary. */

export type TransformersDtype = 'fp32' | 'fp16' | 'q8' | 'int8' | 'uint8' | 'q4';

export type ModelSpec =
  | { kind: 'builtin-embedding'; dims: number }
  | { kind: 'builtin-toxicity' }
  | {
      kind: 'transformers-embedding';
      /** Absolute path of the model folder (config.json, tokenizer.json, onnx/). */
      path: string;
      dtype: TransformersDtype;
      pooling: 'mean' | 'cls';
    }
  | { kind: 'transformers-classifier'; path: string; dtype: TransformersDtype; multiLabel?: boolean };

export interface InferenceTask {
  spec: ModelSpec;
  texts: string[];
}

/** Embeddings come back as one flat row-major array (rows = texts), moved, not copied. */
export type InferenceResult =
  | { kind: 'embedding'; dims: number; data: Float32Array }
  | { kind: 'scores'; labels: string[]; data: Float32Array };

export function isEmbeddingSpec(spec: ModelSpec): boolean {
  return spec.kind === 'builtin-embedding' || spec.kind === 'transformers-embedding';
}
