import type { Ranked } from './context.ts';

/** Longest ranked list an algorithm returns (what the cache keeps, and how deep a member can page). */
export const MAX_RANKED = 5000;

/**
 * The k largest of `scores` as a threshold: a native numeric sort of a typed copy is several
 * times faster than sorting objects with a comparator, which matters at 100k posts.
 */
export function kthLargest(scores: ArrayLike<number>, k: number): number {
  if (scores.length <= k) return -Infinity;
  const copy = Float64Array.from(scores as ArrayLike<number>);
  copy.sort();
  return copy[copy.length - k]!;
}

/** The best `k` items, best first; ties broken by id so a ranking is deterministic. */
export function topRanked(items: Ranked[], k = MAX_RANKED): Ranked[] {
  let kept = items;
  if (items.length > k) {
    const min = kthLargest(items.map((r) => r.score), k);
    kept = items.filter((r) => r.score >= min);
  }
  kept.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
  return kept.length > k ? kept.slice(0, k) : kept;
}
