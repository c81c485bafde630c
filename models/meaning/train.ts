import { countCooccurrence, type CooccurrenceOptions } from './cooccurrence.ts';
import { topEigen } from './eigen.ts';
import { ppmi } from './ppmi.ts';
import { unit, WordVectors } from './wordVectors.ts';

export interface MeaningTrainOptions extends CooccurrenceOptions {
  /** Dimensions of the word vectors. */
  dims: number;
  /** SIF's a: the larger, the more frequent words count. */
  sifA: number;
  onProgress?: (stage: string) => void;
}

export const MEANING_DEFAULTS: Omit<MeaningTrainOptions, 'onProgress'> = { minCount: 3, maxVocabulary: 30_000, window: 6, dims: 96, sifA: 1e-3 };

export interface MeaningTrainResult {
  vectors: WordVectors;
  stats: { documents: number; vocabulary: number; pairs: number; ppmiEntries: number; dims: number; seconds: number };
}

/** Fewer documents than this and there is nothing to learn from. */
export const MIN_DOCUMENTS = 50;

/**
 * Learns word vectors from the village's posts: co-occurrence counts → PPMI → the top
 * eigenvectors, weighted by the square root of their eigenvalues (an SVD of PPMI, as in
 * Levy, Goldberg and Dagan 2015), then each word's SIF weight and the corpus's common
 * direction. `documents` is called twice (two passes) and must give the same tokens each time.
 */
export function trainMeaning(documents: () => Iterable<string[]>, o: MeaningTrainOptions): MeaningTrainResult {
  const started = performance.now();
  o.onProgress?.('counting words');
  const c = countCooccurrence(documents, o);
  if (c.documents < MIN_DOCUMENTS) throw new Error(`too few posts to learn from: ${c.documents} (at least ${MIN_DOCUMENTS})`);
  if (c.vocabulary.length < 2 * o.dims) throw new Error(`too few distinct words to learn from: ${c.vocabulary.length} in at least ${o.minCount} posts (at least ${2 * o.dims})`);
  o.onProgress?.(`weighting ${c.pairs.size.toLocaleString('en')} word pairs`);
  const m = ppmi(c);
  o.onProgress?.(`factorising a ${c.vocabulary.length.toLocaleString('en')}-word matrix`);
  const eig = topEigen(m, o.dims);
  const V = c.vocabulary.length;
  const dims = eig.vectors.length;
  const vectors = new Float32Array(V * dims);
  eig.vectors.forEach((col, d) => {
    const s = Math.sqrt(Math.max(0, eig.values[d]!));
    for (let i = 0; i < V; i++) vectors[i * dims + d] = col[i]! * s;
  });
  for (let i = 0; i < V; i++) vectors.set(unit(vectors.subarray(i * dims, (i + 1) * dims)), i * dims);
  let tokens = 0;
  for (const f of c.frequency) tokens += f;
  const weights = Float32Array.from(c.frequency, (f) => o.sifA / (o.sifA + f / Math.max(1, tokens)));
  o.onProgress?.('finding the common direction');
  const draft = new WordVectors({ vocabulary: c.vocabulary, dims, vectors, weights, common: new Float32Array(dims) });
  const common = commonDirection(documents, draft);
  return {
    vectors: new WordVectors({ vocabulary: c.vocabulary, dims, vectors, weights, common }),
    stats: { documents: c.documents, vocabulary: V, pairs: c.pairs.size, ppmiEntries: m.values.length, dims, seconds: (performance.now() - started) / 1000 },
  };
}

/** The first principal direction of (up to 5,000) post vectors, by power iteration. */
function commonDirection(documents: () => Iterable<string[]>, draft: WordVectors): Float32Array {
  const sample: Float32Array[] = [];
  for (const doc of documents()) {
    const v = draft.embed(doc);
    if (v.some((x) => x !== 0)) sample.push(v);
    if (sample.length >= 5000) break;
  }
  let u = unit(Float32Array.from({ length: draft.dims }, (_, i) => 1 / (i + 1)));
  for (let it = 0; it < 20; it++) {
    const next = new Float32Array(draft.dims);
    for (const v of sample) {
      let d = 0;
      for (let i = 0; i < v.length; i++) d += v[i]! * u[i]!;
      for (let i = 0; i < v.length; i++) next[i]! += d * v[i]!;
    }
    u = unit(next);
  }
  return u;
}
