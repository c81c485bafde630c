import { dotQ } from '../signals/vectors.ts';
import type { RankContext, Ranked } from './context.ts';
import type { ReasonCode } from './reasons.ts';

/** How much each part counts; tuned on the simulated village (test/bench/scenarios/feeds.ts). */
export const FOR_YOU_WEIGHTS = { relevance: 2, trust: 0.6, follows: 0.8, village: 0.4, topic: 1 };

/**
 * For you: relevance to the member's interests (cosine of the post's embedding with what
 * they post, like, repost and bookmark) + trust in the author (their circles) + engagement by
 * people they follow + trust-weighted village engagement + asked-for topics, all scaled by
 * recency. Posts the member already engaged with are left out. The reason is the part that
 * contributed most.
 */
export function rankForYou(ctx: RankContext): Ranked[] {
  const { signals, params } = ctx;
  const W = FOR_YOU_WEIGHTS;
  const profile = signals.interests.vector(params.user);
  const out: Ranked[] = [];
  for (const post of signals.posts.posts.values()) {
    if (!ctx.visible(post) || signals.engagement.engagedWith(params.user, post.id)) continue;
    const rel = profile && post.vector ? Math.max(0, dotQ(profile, post.vector)) : 0;
    const trust = ctx.trust(post.pubkey);
    const eng = ctx.engagement(post.id);
    const topic = params.topics.length ? ctx.topicMatch(post) : undefined;
    const parts: [ReasonCode, number][] = [
      ['similar_to_your_posts', W.relevance * rel],
      [ctx.hops.get(post.pubkey) === 1 ? 'followed' : ctx.hops.has(post.pubkey) ? 'in_your_circles' : 'village', W.trust * trust],
      ['liked_by_follows', W.follows * Math.min(1, eng.byFollows / 3)],
      ['trending', W.village * Math.min(1, Math.log1p(eng.score) / 3)],
    ];
    if (topic && topic.strength > 0.15) parts.push([`topic:${topic.topic}`, W.topic * topic.strength]);
    let sum = 0;
    let best = parts[0]!;
    for (const p of parts) {
      sum += p[1];
      if (p[1] > best[1]) best = p;
    }
    const score = sum * (0.25 + 0.75 * ctx.recency(post.createdAt));
    out.push({ id: post.id, pubkey: post.pubkey, score, reason: best[0], topic: post.hashtags[0] });
  }
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1));
}
