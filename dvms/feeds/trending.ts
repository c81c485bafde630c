import type { RankContext, Ranked } from './context.ts';
import { topRanked } from './top.ts';

/** Fewer candidates than this and the village is quiet: trending looks further back. */
export const TRENDING_MIN_CANDIDATES = 20;

/**
 * Trending in the village: engagement velocity — each engagement decays with the half-life
 * (recent ones count most) and is weighted by how much the member (their circles) and the
 * village (its members' circles) trust the person who engaged. A hundred strangers' likes
 * count less than a few neighbours'; raw counts never rank. When the village is quiet (fewer
 * than TRENDING_MIN_CANDIDATES posts engaged with in four half-lives) the half-life doubles
 * until there are enough, or it spans the signals' whole window; the items that only the
 * wider look found say so in their reason in words ("the village has been quiet").
 */
export function rankTrending(ctx: RankContext): Ranked[] {
  const asked = ctx.params.recencyHalfLifeH;
  const widest = ctx.signals.windowSeconds / 3600 / 4;
  let halfLife = asked;
  let out = rankWithin(ctx, halfLife, new Set());
  const usual = new Set(out.map((r) => r.id));
  while (out.length < TRENDING_MIN_CANDIDATES && halfLife < widest) {
    halfLife = Math.min(halfLife * 2, widest);
    out = rankWithin(ctx, halfLife, usual);
  }
  return topRanked(out);
}

const spanWords = (hours: number): string => (hours < 48 ? `${Math.round(hours)} hours` : `${Math.round(hours / 24)} days`);

/** Posts engaged with in the last four half-lives; those not in `usual` were found by widening. */
function rankWithin(ctx: RankContext, halfLifeH: number, usual: ReadonlySet<string>): Ranked[] {
  const { signals } = ctx;
  const widened = halfLifeH > ctx.params.recencyHalfLifeH;
  const out: Ranked[] = [];
  // engagement older than four half-lives counts 1/16 or less: such posts cannot trend
  const cutoff = ctx.now - 4 * halfLifeH * 3600;
  for (const [id, e] of signals.engagement.byEvent) {
    if (e.last < cutoff) continue;
    const post = signals.posts.get(id);
    if (!post || !ctx.visible(post)) continue;
    const eng = ctx.engagement(id, halfLifeH);
    if (eng.score <= 0) continue;
    // an old post with fresh engagement still trends, a little less
    const score = eng.score * (0.5 + 0.5 * ctx.recency(post.createdAt, halfLifeH * 4));
    const quiet = widened && !usual.has(id);
    out.push({
      id,
      pubkey: post.pubkey,
      score,
      reason: eng.byFollows > 0 ? 'liked_by_follows' : 'trending',
      topic: post.hashtags[0],
      ...(quiet ? { detail: `engaged with in the last ${spanWords(4 * halfLifeH)}: the village has been quiet lately` } : {}),
    });
  }
  return out;
}
