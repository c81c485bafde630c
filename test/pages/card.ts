import { join } from 'node:path';
import { writeModelCard, type ModelCard } from '../../models/index.ts';

/** A model card as `hamlet train moderation` writes it, under <models.dir>/heads. */
export function writeSampleCard(modelsDir: string): ModelCard {
  const card: ModelCard = {
    format: 'hamlet-model-card/1',
    name: 'moderation-v1',
    kind: 'logistic',
    baseModel: { id: 'hamlet/builtin-ngram-512', version: '1', provider: 'builtin' },
    createdAt: '2026-12-01T10:00:00.000Z',
    dataWindow: { since: 1_764_000_000, until: 1_764_500_000 },
    source: 'moderator decisions',
    counts: { examples: 40, train: 32, heldOut: 8, labels: 2, perLabel: { hide: 18, keep: 22 } },
    params: { epochs: 200 },
    split: { heldOutFraction: 0.2, seed: 1 },
    metrics: { precisionAtK: 0.875, k: 1, precision: 0.86, recall: 0.84, f1: 0.85, macroF1: 0.83, threshold: 0.5, examples: 8, perLabel: {} },
  };
  writeModelCard(join(modelsDir, 'heads', 'moderation-v1.card.json'), card);
  return card;
}
