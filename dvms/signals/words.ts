import { hash32 } from '../../models/builtin/hash.ts';

/**
 * What the feeds keep of a post's text: the 32-bit hashes of its distinct lowercase words,
 * sorted (4 bytes a word, however long the post). Enough to tell whether a post holds a muted
 * word or an excluded topic; a false match needs two words of one post to collide in 32 bits.
 */
const WORD_RE = /[\p{L}\p{N}]+/gu;

/** Most distinct words kept per post: the words of a long article past them are not looked at. */
export const MAX_POST_WORDS = 2048;

export function wordHashes(text: string, max = MAX_POST_WORDS): Uint32Array {
  const seen = new Set<number>();
  for (const m of text.matchAll(WORD_RE)) {
    seen.add(hash32(m[0].toLowerCase()));
    if (seen.size >= max) break;
  }
  return Uint32Array.from(seen).sort();
}

/** A word or phrase to look for, hashed once: a phrase matches a post that has all its words. */
export class WordQuery {
  private readonly hashes: number[];

  constructor(readonly phrase: string) {
    this.hashes = (phrase.match(WORD_RE) ?? []).map((w) => hash32(w.toLowerCase()));
  }

  /** Whether the post's words (from wordHashes) hold every word of the phrase; never for a phrase without words. */
  in(words: Uint32Array): boolean {
    return this.hashes.length > 0 && this.hashes.every((h) => has(words, h));
  }
}

function has(sorted: Uint32Array, h: number): boolean {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = sorted[mid]!;
    if (v === h) return true;
    if (v < h) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}
