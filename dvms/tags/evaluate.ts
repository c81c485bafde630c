import type { LabelScores } from '../../models/index.ts';

/** precision@k and recall@k of ranked tag lists against the tags the posts really carry. */
export interface RankingScore {
  k: number;
  /** Mean over posts of |top k ∩ truth| / k. */
  precisionAtK: number;
  /** Mean over posts of |top k ∩ truth| / |truth|. */
  recallAtK: number;
  posts: number;
}

export function rankingScore(ranked: readonly (readonly string[])[], truth: readonly (readonly string[])[], k: number): RankingScore {
  let p = 0;
  let r = 0;
  let n = 0;
  ranked.forEach((list, i) => {
    const actual = new Set(truth[i]);
    if (actual.size === 0) return;
    const hits = list.slice(0, k).filter((t) => actual.has(t)).length;
    p += hits / k;
    r += hits / actual.size;
    n++;
  });
  return { k, precisionAtK: n ? p / n : 0, recallAtK: n ? r / n : 0, posts: n };
}

/** Labels of a score map, best first (ties alphabetical, so results are reproducible). */
export function rankLabels(scores: LabelScores): string[] {
  return Object.keys(scores).sort((a, b) => scores[b]! - scores[a]! || (a < b ? -1 : 1));
}

/** The baseline a tagger must beat: the k tags used most in training, for every post alike. */
export function mostFrequentTags(tagLists: readonly (readonly string[])[], k: number): string[] {
  const counts = new Map<string, number>();
  for (const tags of tagLists) for (const t of new Set(tags)) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, k)
    .map(([t]) => t);
}
