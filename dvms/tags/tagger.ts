import type { Embedder, Head } from '../../models/index.ts';
import { plainText } from './text.ts';

/** A suggested tag with its score in [0, 1]. */
export interface TagSuggestion {
  tag: string;
  score: number;
}

/** Name and version of a model that took part in a decision (labels and DVM results name them). */
export interface ModelRef {
  id: string;
  version: string;
}

/** Suggests hashtags for texts from the village's vocabulary. */
export interface Tagger {
  /** What produced the scores: the tagger itself, then the embedding model it reads. */
  readonly models: readonly ModelRef[];
  /** "vocabulary" (untrained) or "trained" (the village's head). */
  readonly mode: 'vocabulary' | 'trained';
  /** Up to k suggestions per text, best first, scores above 0. */
  suggest(texts: readonly string[], k: number): Promise<TagSuggestion[][]>;
}

/** The text the tagger reads: links and nostr references out, inline hashtags as plain words. */
export const taggerText = (content: string): string => plainText(content, { hashtags: 'words' });

const dot = (a: Float32Array, b: Float32Array): number => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

const top = (scores: Map<string, number>, k: number): TagSuggestion[] =>
  [...scores]
    .filter(([, s]) => s > 0)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([tag, score]) => ({ tag, score }));

const TOKEN_RE = /[\p{L}\p{N}_-]+/gu;

/**
 * The untrained tagger: every vocabulary term scored against the text. A term written in the
 * text as #term scores 1, as a plain word 0.9; otherwise the cosine similarity between the
 * term's embedding and the text's (which is what a semantic model contributes; the built-in
 * hashed n-grams mostly agree on shared spellings). Terms are embedded once per vocabulary
 * version.
 */
export class VocabularyTagger implements Tagger {
  readonly mode = 'vocabulary';
  readonly models: readonly ModelRef[];
  private termVectors?: { version: number; terms: string[]; vectors: Float32Array[] };
  /** Vectors by term: a vocabulary that only reorders, or gains a term, embeds nothing or just that. */
  private readonly known = new Map<string, Float32Array>();

  constructor(
    private readonly embedder: Embedder,
    private readonly vocabulary: { terms(): string[]; version: number },
  ) {
    this.models = [{ id: 'hamlet/vocabulary-tagger', version: '1' }, embedder.info];
  }

  private async terms(): Promise<{ terms: string[]; vectors: Float32Array[] }> {
    const terms = this.vocabulary.terms();
    if (this.termVectors?.version !== this.vocabulary.version) {
      const missing = terms.filter((t) => !this.known.has(t));
      if (missing.length) (await this.embedder.embed(missing)).forEach((v, i) => this.known.set(missing[i]!, v));
      const current = new Set(terms);
      for (const t of this.known.keys()) if (!current.has(t)) this.known.delete(t);
      this.termVectors = { version: this.vocabulary.version, terms, vectors: terms.map((t) => this.known.get(t)!) };
    }
    return this.termVectors!;
  }

  async suggest(texts: readonly string[], k: number): Promise<TagSuggestion[][]> {
    const { terms, vectors } = await this.terms();
    if (terms.length === 0) return texts.map(() => []);
    const embedded = await this.embedder.embed(texts.map(taggerText));
    return texts.map((text, i) => {
      const words = new Set((text.toLowerCase().match(TOKEN_RE) ?? []) as string[]);
      const hashtags = new Set((text.toLowerCase().match(/#[\p{L}\p{N}_-]+/gu) ?? []).map((h) => h.slice(1)));
      const scores = new Map<string, number>();
      terms.forEach((term, j) => {
        const lexical = hashtags.has(term) ? 1 : words.has(term) ? 0.9 : 0;
        scores.set(term, Math.max(lexical, Math.min(1, dot(embedded[i]!, vectors[j]!))));
      });
      return top(scores, k);
    });
  }
}

/** The village-trained tagger: a head (`hamlet train tags`) over the embedding model. */
export class HeadTagger implements Tagger {
  readonly mode = 'trained';
  readonly models: readonly ModelRef[];

  constructor(
    private readonly embedder: Embedder,
    private readonly head: Head,
    ref: ModelRef,
  ) {
    this.models = [ref, embedder.info];
  }

  async suggest(texts: readonly string[], k: number): Promise<TagSuggestion[][]> {
    const vectors = await this.embedder.embed(texts.map(taggerText));
    return vectors.map((v) => top(new Map(Object.entries(this.head.predict(v))), k));
  }
}
