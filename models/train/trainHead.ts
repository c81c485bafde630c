import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeModelCard, type ModelCard } from './card.ts';
import { labelCounts, splitHeldOut, type Example } from './dataset.ts';
import type { Head, HeadFile } from './head.ts';
import { KnnHead, trainKnn } from './knn.ts';
import { LogisticHead, trainLogistic, type LogisticOptions } from './logistic.ts';
import { evaluate } from './metrics.ts';
import type { ModelInfo } from '../types.ts';

export interface TrainHeadOptions {
  name: string;
  kind: 'logistic' | 'knn';
  examples: readonly Example[];
  baseModel: ModelInfo;
  /** Where the labels came from, for the card. */
  source?: string;
  heldOutFraction?: number;
  seed?: number;
  /** Labels with fewer examples are left out (default 2). */
  minExamplesPerLabel?: number;
  /** kNN neighbours (default 10). */
  k?: number;
  logistic?: LogisticOptions;
  /** k of precision@k (default 1). */
  precisionAtK?: number;
  threshold?: number;
  /** Write <name>.head.json and <name>.card.json here. */
  outDir?: string;
}

export interface TrainedHead {
  head: Head;
  card: ModelCard;
  files?: { head: string; card: string };
}

/** Splits, trains, evaluates on the held-out part, and writes the head and its model card. */
export function trainHead(o: TrainHeadOptions): TrainedHead {
  const heldOutFraction = o.heldOutFraction ?? 0.2;
  const seed = o.seed ?? 1;
  const counts = labelCounts(o.examples);
  const labels = Object.keys(counts)
    .filter((l) => counts[l]! >= (o.minExamplesPerLabel ?? 2))
    .sort();
  if (labels.length === 0) throw new Error('no label has enough examples to train on');
  const { train, heldOut } = splitHeldOut(o.examples, heldOutFraction, seed);
  const head: Head =
    o.kind === 'knn' ? trainKnn(train, labels, o.baseModel, { k: o.k ?? 10 }) : trainLogistic(train, labels, o.baseModel, { seed, ...o.logistic });
  const metrics = evaluate(
    heldOut.map((e) => head.predict(e.vector)),
    heldOut.map((e) => e.labels),
    labels,
    { k: o.precisionAtK ?? 1, threshold: o.threshold ?? 0.5 },
  );
  const times = o.examples.flatMap((e) => (e.createdAt === undefined ? [] : [e.createdAt]));
  const card: ModelCard = {
    format: 'hamlet-model-card/1',
    name: o.name,
    kind: o.kind,
    baseModel: o.baseModel,
    createdAt: new Date().toISOString(),
    dataWindow: { since: times.length ? Math.min(...times) : null, until: times.length ? Math.max(...times) : null },
    source: o.source ?? 'unspecified',
    counts: {
      examples: o.examples.length,
      train: train.length,
      heldOut: heldOut.length,
      labels: labels.length,
      perLabel: Object.fromEntries(labels.map((l) => [l, counts[l]!])),
    },
    params: head.toFile().params,
    split: { heldOutFraction, seed },
    metrics,
  };
  if (!o.outDir) return { head, card };
  mkdirSync(o.outDir, { recursive: true });
  const files = { head: join(o.outDir, `${o.name}.head.json`), card: join(o.outDir, `${o.name}.card.json`) };
  writeFileSync(files.head, JSON.stringify(head.toFile()));
  writeModelCard(files.card, card);
  return { head, card, files };
}

export function loadHead(file: string): Head {
  const f = JSON.parse(readFileSync(file, 'utf8')) as HeadFile;
  if (f.format !== 'hamlet-head/1') throw new Error(`${file} is not a hamlet head (format ${String(f.format)})`);
  return f.kind === 'knn' ? KnnHead.fromFile(f) : LogisticHead.fromFile(f);
}
