import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  evaluate,
  trainKnn,
  trainLogistic,
  writeModelCard,
  type Embedder,
  type Example,
  type FitTask,
  type Head,
  type LogisticOptions,
  type ModelCard,
} from '../../models/index.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import { mostFrequentTags, rankingScore, rankLabels, type RankingScore } from './evaluate.ts';
import { hashtagsOf, plainText } from './text.ts';

/** The model card of the village tagger: the models card plus the newest-fifth evaluation. */
export interface TagsModelCard extends ModelCard {
  evaluation: {
    /** The held-out posts are the newest ones (a tagger is used on posts still to come). */
    heldOut: 'newest';
    tagger: RankingScore;
    baseline: RankingScore & { tags: string[] };
    /** precision@k above the baseline's: only then do the labeler and the DVM use the head. */
    beatsBaseline: boolean;
  };
}

export interface TrainTagsOptions {
  /** Stored posts, any order; those with `t` tags are the examples. */
  posts: Iterable<NostrEvent>;
  embedder: Embedder;
  kind?: 'logistic' | 'knn';
  /** Newest share held out for evaluation (default 0.2). */
  heldOutFraction?: number;
  /** A tag needs this many training posts to be learnt (default 3). */
  minExamples?: number;
  /** Most tags learnt, the most used first (default 200). */
  maxTags?: number;
  /** k of precision@k and recall@k (default 3). */
  k?: number;
  knnK?: number;
  logistic?: LogisticOptions;
  /** Texts embedded per call (default 256). */
  chunk?: number;
  /** Write <name>.head.json and <name>.card.json here. */
  outDir?: string;
  name?: string;
  progress?: (done: number, total: number) => void;
  /** Fits the head (default: in this thread; the relay passes fitHeadInWorker). */
  fit?: (task: FitTask) => Promise<Head>;
}

export interface TrainedTags {
  head: Head;
  card: TagsModelCard;
  files?: { head: string; card: string };
}

/** Not enough data to train or evaluate: a message for the operator, not a crash. */
export class TagsDataError extends Error {}

interface Row {
  id: string;
  createdAt: number;
  text: string;
  tags: string[];
}

/**
 * Learns hashtag suggestion from the village's own tagged posts: their text (links, nostr
 * references and inline hashtags removed, so it learns topics rather than copying tags) is
 * embedded with the active model; the oldest four fifths train a head, the newest fifth is held
 * out; precision@k and recall@k are compared with suggesting the k most used tags to everyone.
 */
export async function trainTags(o: TrainTagsOptions): Promise<TrainedTags> {
  const k = o.k ?? 3;
  const heldOutFraction = o.heldOutFraction ?? 0.2;
  if (!(heldOutFraction > 0 && heldOutFraction < 1)) throw new TagsDataError('the held-out fraction must be between 0 and 1');
  const rows: Row[] = [];
  for (const e of o.posts) {
    const tags = hashtagsOf(e);
    const text = plainText(e.content, { hashtags: 'drop' });
    if (tags.length > 0 && /\p{L}/u.test(text)) rows.push({ id: e.id, createdAt: e.created_at, text, tags });
  }
  rows.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  const heldOutCount = Math.round(rows.length * heldOutFraction);
  if (rows.length < 10 || heldOutCount < 2) throw new TagsDataError(`only ${rows.length} posts with hashtags and text: too few to train and evaluate a tagger`);
  const trainRows = rows.slice(0, rows.length - heldOutCount);
  const heldRows = rows.slice(rows.length - heldOutCount);

  const counts = new Map<string, number>();
  for (const r of trainRows) for (const t of r.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  const labels = [...counts]
    .filter(([, n]) => n >= (o.minExamples ?? 3))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, o.maxTags ?? 200)
    .map(([t]) => t)
    .sort();
  if (labels.length === 0) throw new TagsDataError(`no hashtag is used on ${o.minExamples ?? 3} or more of the ${trainRows.length} training posts`);

  const vectors: Float32Array[] = [];
  const chunk = o.chunk ?? 256;
  o.progress?.(0, rows.length);
  for (let i = 0; i < rows.length; i += chunk) {
    vectors.push(...(await o.embedder.embed(rows.slice(i, i + chunk).map((r) => r.text))));
    o.progress?.(vectors.length, rows.length);
  }
  const examples: Example[] = rows.map((r, i) => ({ vector: vectors[i]!, labels: r.tags, id: r.id, createdAt: r.createdAt }));
  const train = examples.slice(0, trainRows.length);
  const heldOut = examples.slice(trainRows.length);

  const kind = o.kind ?? 'logistic';
  const base = o.embedder.info;
  const head: Head = o.fit
    ? await o.fit({ kind, examples: train, labels, base, logistic: o.logistic, knnK: o.knnK })
    : kind === 'knn'
      ? trainKnn(train, labels, base, { k: o.knnK ?? 10 })
      : trainLogistic(train, labels, base, o.logistic);
  const predictions = heldOut.map((e) => head.predict(e.vector));
  const truth = heldOut.map((e) => e.labels);
  const tagger = rankingScore(predictions.map(rankLabels), truth, k);
  const baselineTags = mostFrequentTags(trainRows.map((r) => r.tags), k);
  const baseline = { ...rankingScore(heldOut.map(() => baselineTags), truth, k), tags: baselineTags };

  const name = o.name ?? 'tags';
  const card: TagsModelCard = {
    format: 'hamlet-model-card/1',
    name,
    kind,
    baseModel: base,
    createdAt: new Date().toISOString(),
    dataWindow: { since: rows[0]!.createdAt, until: rows.at(-1)!.createdAt },
    source: 'hashtags (t tags) of stored posts',
    counts: {
      examples: rows.length,
      train: train.length,
      heldOut: heldOut.length,
      labels: labels.length,
      perLabel: Object.fromEntries(labels.map((l) => [l, counts.get(l)!])),
    },
    params: head.toFile().params,
    split: { heldOutFraction, seed: 0 },
    metrics: evaluate(predictions, truth, labels, { k, threshold: 0.5 }),
    evaluation: { heldOut: 'newest', tagger, baseline, beatsBaseline: tagger.precisionAtK > baseline.precisionAtK },
  };
  if (!o.outDir) return { head, card };
  mkdirSync(o.outDir, { recursive: true });
  const files = { head: join(o.outDir, `${name}.head.json`), card: join(o.outDir, `${name}.card.json`) };
  writeFileSync(files.head, JSON.stringify(head.toFile()));
  writeModelCard(files.card, card);
  return { head, card, files };
}
