import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Metrics } from './metrics.ts';
import type { ModelInfo } from '../types.ts';

/** What a village-trained head is, what it was trained on, and how well it did on held-out data. */
export interface ModelCard {
  format: 'hamlet-model-card/1';
  name: string;
  kind: 'logistic' | 'knn';
  /** The embedding model the head reads; the head is only valid over its vectors. */
  baseModel: ModelInfo;
  createdAt: string;
  /** created_at range (unix seconds) of the examples, when known. */
  dataWindow: { since: number | null; until: number | null };
  /** Where the labels came from (e.g. "hashtags", "moderator decisions"). */
  source: string;
  counts: { examples: number; train: number; heldOut: number; labels: number; perLabel: Record<string, number> };
  params: Record<string, number>;
  split: { heldOutFraction: number; seed: number };
  metrics: Metrics;
}

export function writeModelCard(file: string, card: ModelCard): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(card, null, 2) + '\n');
}
