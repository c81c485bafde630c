/** Which implementation computes a model's outputs. */
export type ProviderKind = 'builtin' | 'transformers';

/** What decision records and DVM announcements say about the model that produced a score. */
export interface ModelInfo {
  /** Stable name, e.g. "Xenova/all-MiniLM-L6-v2" or "hamlet/builtin-ngram". */
  readonly id: string;
  /** Revision of the weights (or of the algorithm, for built-ins); cached outputs are keyed by it. */
  readonly version: string;
  readonly provider: ProviderKind;
}

/** Scores in [0, 1] per label, e.g. { toxic: 0.93, insult: 0.71 }. */
export type LabelScores = Record<string, number>;

export interface Embedder {
  readonly info: ModelInfo;
  readonly dims: number;
  /** One L2-normalised vector per text, in order (an empty text gives the zero vector). */
  embed(texts: readonly string[]): Promise<Float32Array[]>;
}

export interface Classifier {
  readonly info: ModelInfo;
  readonly labels: readonly string[];
  /** One score per label for each text, in order. */
  classify(texts: readonly string[]): Promise<LabelScores[]>;
}

/** The village's active models, as chosen from config by `openModels`. */
export interface Models {
  readonly embedder: Embedder;
  readonly toxicity: Classifier;
  /** Stops the worker pool. */
  close(): Promise<void>;
}

/** "id@version": the key under which a model's outputs are cached. */
export function modelKey(info: ModelInfo): string {
  return `${info.id}@${info.version}`;
}
