/**
 * NIP-50 full-text search: the tokens we index and how a query scores an event.
 * Words are runs of letters and digits, lower-cased; `key:value` extensions in a query are
 * not words and are ignored (NIP-50 says unsupported ones SHOULD be).
 */
const WORD = /[\p{L}\p{N}]+/gu;
const MIN_TOKEN = 2;
const MAX_TOKEN = 40;
const MAX_TOKENS_PER_EVENT = 200;

function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** Distinct tokens of a text, as indexed. */
export function tokenize(text: string): string[] {
  const seen = new Set<string>();
  for (const w of words(text)) {
    if (w.length < MIN_TOKEN || w.length > MAX_TOKEN) continue;
    seen.add(w);
    if (seen.size >= MAX_TOKENS_PER_EVENT) break;
  }
  return [...seen];
}

/** Query tokens, with `key:value` extensions (include:spam, language:en, ...) removed. */
export function queryTokens(query: string): string[] {
  const plain = query
    .split(/\s+/)
    .filter((part) => !/^[a-z_]+:\S+$/i.test(part))
    .join(' ');
  return tokenize(plain);
}

/**
 * Score of an event for a query: 0 when a query word is missing (all words must appear),
 * else the sum of 1 + log(term frequency), plus a bonus when the words appear as a phrase.
 */
export function searchScore(query: string, tokens: string[], content: string): number {
  if (tokens.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const w of words(content)) counts.set(w, (counts.get(w) ?? 0) + 1);
  let score = 0;
  for (const t of tokens) {
    const n = counts.get(t);
    if (!n) return 0;
    score += 1 + Math.log(n);
  }
  if (tokens.length > 1 && content.toLowerCase().includes(tokens.join(' '))) score += tokens.length;
  return score;
}
