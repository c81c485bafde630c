import { PairCounts } from './pairCounts.ts';

export interface CooccurrenceOptions {
  /** Words seen in fewer posts than this are left out of the vocabulary. */
  minCount: number;
  /** Largest vocabulary (the most frequent words are kept; at most 65,535). */
  maxVocabulary: number;
  /** Neighbours on each side that count as context. */
  window: number;
}

export interface Cooccurrence {
  vocabulary: string[];
  /** Posts each word appears in. */
  documentFrequency: Float64Array;
  /** Occurrences of each word. */
  frequency: Float64Array;
  /** Symmetric pair counts, nearer neighbours weighted more (1/distance). */
  pairs: PairCounts;
  documents: number;
}

/**
 * Word-word co-occurrence over the village's posts. Two passes: the vocabulary (words in at
 * least `minCount` posts, the most frequent first), then the pairs within `window` words of
 * each other, weighted by 1/distance as word2vec's dynamic window does.
 */
export function countCooccurrence(documents: () => Iterable<string[]>, o: CooccurrenceOptions): Cooccurrence {
  const df = new Map<string, number>();
  let n = 0;
  for (const doc of documents()) {
    n++;
    for (const w of new Set(doc)) df.set(w, (df.get(w) ?? 0) + 1);
  }
  const vocabulary = [...df]
    .filter(([, c]) => c >= o.minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, Math.min(o.maxVocabulary, 65_535))
    .map(([w]) => w);
  const index = new Map(vocabulary.map((w, i) => [w, i]));
  const documentFrequency = new Float64Array(vocabulary.length);
  const frequency = new Float64Array(vocabulary.length);
  vocabulary.forEach((w, i) => (documentFrequency[i] = df.get(w)!));
  const pairs = new PairCounts(1 << 20);
  for (const doc of documents()) {
    const ids: number[] = [];
    for (const w of doc) {
      const i = index.get(w);
      if (i !== undefined) ids.push(i);
    }
    for (let a = 0; a < ids.length; a++) {
      const i = ids[a]!;
      frequency[i]! += 1;
      for (let b = a + 1; b < ids.length && b - a <= o.window; b++) {
        const j = ids[b]!;
        if (i === j) continue;
        const w = 1 / (b - a);
        pairs.add(i, j, w);
        pairs.add(j, i, w);
      }
    }
  }
  return { vocabulary, documentFrequency, frequency, pairs, documents: n };
}
