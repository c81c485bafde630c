import type { RankContext, Ranked } from './context.ts';
import { topRanked } from './top.ts';

/**
 * Trending in the village: engagement velocity — each engagement decays with the half-life
 * (recent ones count most) and is weighted by how much the member (their circles) and the
 * village (its members' circles) trust the person who engaged. A hundred strangers' likes
 * count less than a few neighbours'; raw counts never rank.
 */
export function rankTrending(ctx: RankContext): Ranked[] {
  const { signals, params } = ctx;
  const out: Ranked[] = [];
  // engagement older than four half-lives counts 1/16 or less: such posts cannot trend
  const cutoff = ctx.now - 4 * params.recencyHalfLifeH * 3600;
  for (const [id, e] of signals.engagement.byEvent) {
    if (e.last < cutoff) continue;
    const post = signals.posts.get(id);
    if (!post || !ctx.visible(post)) continue;
    const eng = ctx.engagement(id, params.recencyHalfLifeH);
    if (eng.score <= 0) continue;
    // an old post with fresh engagement still trends, a little less
    const score = eng.score * (0.5 + 0.5 * ctx.recency(post.createdAt, params.recencyHalfLifeH * 4));
    out.push({ id, pubkey: post.pubkey, score, reason: eng.byFollows > 0 ? 'liked_by_follows' : 'trending', topic: post.hashtags[0] });
  }
  return topRanked(out);
}
