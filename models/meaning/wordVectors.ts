import { PREFIX } from './tokens.ts';

/** What a trained meaning model holds: a vector per word, a weight per word, and the corpus's common direction. */
export interface WordVectorsData {
  vocabulary: string[];
  dims: number;
  /** Unit-length word vectors, `dims` per word, in vocabulary order. */
  vectors: Float32Array;
  /** Smooth inverse frequency a / (a + p(w)): frequent words say little about a post's topic. */
  weights: Float32Array;
  /** The first principal direction of post vectors (what every post shares), removed from each. */
  common: Float32Array;
}

/**
 * Word vectors learnt from the village's own posts, and the post vectors made of them: the
 * weighted mean of its words' vectors without the common direction (Arora, Liang and Ma's
 * "SIF"), so that posts about one topic in different words land close. A word the model has
 * not seen borrows the mean vector of the known words that start like it.
 */
export class WordVectors {
  private readonly index: Map<string, number>;
  private readonly families = new Map<string, { sum: Float32Array; weight: number }>();

  constructor(readonly data: WordVectorsData) {
    this.index = new Map(data.vocabulary.map((w, i) => [w, i]));
    const { dims, vectors, weights } = data;
    data.vocabulary.forEach((w, i) => {
      if (w.length < PREFIX) return;
      const key = w.slice(0, PREFIX);
      let f = this.families.get(key);
      if (!f) this.families.set(key, (f = { sum: new Float32Array(dims), weight: 0 }));
      for (let d = 0; d < dims; d++) f.sum[d]! += vectors[i * dims + d]!;
      f.weight = Math.max(f.weight, weights[i]!);
    });
  }

  get dims(): number {
    return this.data.dims;
  }

  get size(): number {
    return this.data.vocabulary.length;
  }

  has(word: string): boolean {
    return this.index.has(word);
  }

  /** The unit vector of a word (or of its family, for an unknown word); undefined when neither is known. */
  word(word: string): Float32Array | undefined {
    const i = this.index.get(word);
    const { dims } = this.data;
    if (i !== undefined) return this.data.vectors.subarray(i * dims, (i + 1) * dims);
    const f = word.length >= PREFIX ? this.families.get(word.slice(0, PREFIX)) : undefined;
    return f && unit(f.sum);
  }

  /** A text's vector from its tokens (meaningTokens), unit length; all zeros when no word is known. */
  embed(tokens: readonly string[]): Float32Array {
    const { dims, vectors, weights, common } = this.data;
    const v = new Float32Array(dims);
    for (const t of tokens) {
      const i = this.index.get(t);
      if (i !== undefined) {
        const w = weights[i]!;
        for (let d = 0; d < dims; d++) v[d]! += w * vectors[i * dims + d]!;
        continue;
      }
      const f = t.length >= PREFIX ? this.families.get(t.slice(0, PREFIX)) : undefined;
      if (!f) continue;
      const u = unit(f.sum);
      for (let d = 0; d < dims; d++) v[d]! += f.weight * u[d]!;
    }
    let dot = 0;
    for (let d = 0; d < dims; d++) dot += v[d]! * common[d]!;
    for (let d = 0; d < dims; d++) v[d]! -= dot * common[d]!;
    return unit(v);
  }
}

/** A unit-length copy (or the zero vector). */
export function unit(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  const out = new Float32Array(v.length);
  if (n === 0) return out;
  const inv = 1 / Math.sqrt(n);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}
