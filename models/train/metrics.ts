import type { LabelScores } from '../types.ts';

export interface LabelMetrics {
  precision: number;
  recall: number;
  f1: number;
  /** Held-out examples that carry the label. */
  support: number;
}

export interface Metrics {
  /** Mean over examples with at least one label of |top-k predicted ∩ true| / k. */
  precisionAtK: number;
  k: number;
  /** Micro-averaged over all labels, predicting a label when its score >= threshold. */
  precision: number;
  recall: number;
  f1: number;
  /** Unweighted mean of the per-label F1. */
  macroF1: number;
  threshold: number;
  examples: number;
  perLabel: Record<string, LabelMetrics>;
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : a / b);
const f1 = (p: number, r: number): number => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

/** Scores against the true labels: precision@k, and thresholded precision / recall / F1. */
export function evaluate(
  predictions: readonly LabelScores[],
  truth: readonly (readonly string[])[],
  labels: readonly string[],
  { k = 1, threshold = 0.5 }: { k?: number; threshold?: number } = {},
): Metrics {
  if (predictions.length !== truth.length) throw new Error('predictions and truth differ in length');
  const counts = Object.fromEntries(labels.map((l) => [l, { tp: 0, fp: 0, fn: 0 }]));
  let pAtK = 0;
  let ranked = 0;
  predictions.forEach((scores, i) => {
    const actual = new Set(truth[i]);
    if (actual.size > 0) {
      const top = labels.slice().sort((a, b) => (scores[b] ?? 0) - (scores[a] ?? 0)).slice(0, k);
      pAtK += top.filter((l) => actual.has(l)).length / k;
      ranked++;
    }
    for (const l of labels) {
      const predicted = (scores[l] ?? 0) >= threshold;
      const c = counts[l]!;
      if (predicted && actual.has(l)) c.tp++;
      else if (predicted) c.fp++;
      else if (actual.has(l)) c.fn++;
    }
  });
  const perLabel: Record<string, LabelMetrics> = {};
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const l of labels) {
    const c = counts[l]!;
    tp += c.tp;
    fp += c.fp;
    fn += c.fn;
    const p = ratio(c.tp, c.tp + c.fp);
    const r = ratio(c.tp, c.tp + c.fn);
    perLabel[l] = { precision: p, recall: r, f1: f1(p, r), support: c.tp + c.fn };
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const macroF1 = ratio(
    labels.reduce((s, l) => s + perLabel[l]!.f1, 0),
    labels.length,
  );
  return { precisionAtK: ratio(pAtK, ranked), k, precision, recall, f1: f1(precision, recall), macroF1, threshold, examples: predictions.length, perLabel };
}
