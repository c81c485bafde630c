import { words } from '../builtin/text.ts';

/** Longest run of tokens read from one text: a long article's topic shows in its beginning. */
export const MAX_TOKENS = 400;

/**
 * The tokens the meaning model reads: lowercased words (hashtags as words, so #garden and
 * garden are one), without links, nostr references, numbers and one-letter words.
 */
export function meaningTokens(text: string): string[] {
  const out: string[] = [];
  for (const w of words(text)) {
    if (w.length < 2 || w.startsWith('url:') || /^[\p{N}_']+$/u.test(w)) continue;
    out.push(w);
    if (out.length >= MAX_TOKENS) break;
  }
  return out;
}

/** Words that share their first PREFIX letters are taken as one family for unknown words (gardener → garden…). */
export const PREFIX = 5;
