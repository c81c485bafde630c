import type { RankContext, Ranked } from './context.ts';
import { topRanked } from './top.ts';

/** Following: posts of the people the member follows (or within wot_hops), newest first — the chronological baseline. */
export function rankFollowing(ctx: RankContext): Ranked[] {
  const { signals, params } = ctx;
  const hops = Math.max(1, params.wotHops);
  const out: Ranked[] = [];
  for (const [pubkey, d] of ctx.hops) {
    if (d < 1 || d > hops) continue;
    for (const id of signals.posts.byAuthor.get(pubkey) ?? []) {
      const post = signals.posts.get(id)!;
      if (!ctx.visible(post)) continue;
      out.push({ id, pubkey, score: post.createdAt, reason: d === 1 ? 'followed' : 'in_your_circles', topic: post.hashtags[0] });
    }
  }
  return topRanked(out);
}
