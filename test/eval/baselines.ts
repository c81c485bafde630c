import type { StoredPost, StoredVillage } from './stored.ts';

/** A baseline's ranking for one member: post ids, best first. */
export type Baseline = (village: StoredVillage, member: string, depth: number) => string[];

const newestFirst = (a: StoredPost, b: StoredPost) => b.createdAt - a.createdAt || (a.id < b.id ? -1 : 1);

function ranked(posts: StoredPost[], score: (p: StoredPost) => number, depth: number): string[] {
  return posts
    .map((p) => ({ p, s: score(p) }))
    .sort((a, b) => b.s - a.s || newestFirst(a.p, b.p))
    .slice(0, depth)
    .map((x) => x.p.id);
}

/** Chronological: the village's newest posts. */
export const chronological: Baseline = (v, member, depth) => v.candidates(member).sort(newestFirst).slice(0, depth).map((p) => p.id);

/** Freshness: a post's weight halves every day (the for-you DVM's default half-life). */
const fresh = (v: StoredVillage, p: StoredPost) => 2 ** (-(v.now - p.createdAt) / 86_400);

/** Popularity: the most engaged posts (reactions, reposts, replies), newest first among equals. */
export const popularity: Baseline = (v, member, depth) => ranked(v.candidates(member), (p) => v.engagementCount(p.id), depth);

/** Popularity as today's feed DVMs count it: the most engaged of the last day's posts. */
export const popularityDay: Baseline = (v, member, depth) =>
  ranked(v.candidates(member).filter((p) => p.createdAt >= v.now - 86_400), (p) => v.engagementCount(p.id), depth);

/** Follows-newest: the newest posts of the people the member follows (shorter when they posted less). */
export const followsNewest: Baseline = (v, member, depth) => {
  const follows = v.follows.get(member) ?? new Set();
  return v.candidates(member).filter((p) => follows.has(p.pubkey)).sort(newestFirst).slice(0, depth).map((p) => p.id);
};

/** Liked-by-follows: posts engaged with by the people the member follows, by how many of them. */
function byFollows(v: StoredVillage, member: string, depth: number, weight: (p: StoredPost) => number): string[] {
  const follows = v.follows.get(member) ?? new Set();
  const count = (p: StoredPost) => {
    let n = 0;
    for (const who of v.engagers.get(p.id) ?? []) if (follows.has(who)) n++;
    return n;
  };
  return ranked(v.candidates(member).filter((p) => count(p) > 0), (p) => count(p) * weight(p), depth);
}
export const likedByFollows: Baseline = (v, member, depth) => byFollows(v, member, depth, () => 1);
/** The same, each post's count weighted by its freshness. */
export const likedByFollowsFresh: Baseline = (v, member, depth) => byFollows(v, member, depth, (p) => fresh(v, p));

/**
 * Co-likes: plain item-item collaborative filtering. A post scores the sum, over the posts the
 * member engaged with, of the cosine between the two posts' sets of engagers.
 */
function itemItem(v: StoredVillage, member: string, depth: number, weight: (p: StoredPost) => number): string[] {
  const mine = v.engaged.get(member);
  if (!mine) return [];
  const score = new Map<string, number>();
  for (const j of mine) {
    const uj = v.engagers.get(j)!;
    const co = new Map<string, number>();
    for (const who of uj) {
      if (who === member) continue;
      for (const i of v.engaged.get(who) ?? []) co.set(i, (co.get(i) ?? 0) + 1);
    }
    for (const [i, n] of co) score.set(i, (score.get(i) ?? 0) + n / Math.sqrt(uj.size * v.engagers.get(i)!.size));
  }
  return ranked(v.candidates(member).filter((p) => score.has(p.id)), (p) => score.get(p.id)! * weight(p), depth);
}
export const coLikes: Baseline = (v, member, depth) => itemItem(v, member, depth, () => 1);
/** The same, each post's score weighted by its freshness. */
export const coLikesFresh: Baseline = (v, member, depth) => itemItem(v, member, depth, (p) => fresh(v, p));

export const BASELINES: Record<string, Baseline> = {
  chronological,
  popularity,
  'popularity (24 h)': popularityDay,
  'follows-newest': followsNewest,
  'liked-by-follows': likedByFollows,
  'liked-by-follows + freshness': likedByFollowsFresh,
  'co-likes': coLikes,
  'co-likes + freshness': coLikesFresh,
};

/** The baselines the targets compare for-you with: each family by its better variant in this run. */
export const FAMILIES: Record<string, string[]> = {
  popularity: ['popularity', 'popularity (24 h)'],
  'liked-by-follows': ['liked-by-follows', 'liked-by-follows + freshness'],
  'co-likes': ['co-likes', 'co-likes + freshness'],
};
