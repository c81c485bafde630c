import type { Post } from '../signals/posts.ts';
import { dotQ } from '../signals/vectors.ts';
import type { RankContext, Ranked } from './context.ts';
import { kthLargest, topRanked } from './top.ts';
import type { ReasonCode } from './reasons.ts';

/** How much each part counts; tuned on the simulated village (test/bench/scenarios/feeds.ts). */
export const FOR_YOU_WEIGHTS = { relevance: 4, trust: 1, follows: 0.4, village: 0.2, topic: 2 };

/** Posts fully scored per request: the best by relevance and trust, plus every socially or topically picked one. */
export const FOR_YOU_CANDIDATES = 2000;
const MOST_ENGAGED = 300;

/**
 * For you: relevance to the member's interests (cosine of the post's embedding with what
 * they post, like, repost and bookmark) + trust in the author (their circles) + engagement by
 * people they follow + trust-weighted village engagement + asked-for topics, all scaled by
 * recency. Posts the member already engaged with are left out. The reason is the part that
 * contributed most.
 *
 * Two passes keep it fast on a large window: a cheap score (relevance, trust, recency) over
 * every post picks the best FOR_YOU_CANDIDATES; posts engaged with by people the member
 * follows, the most engaged posts and posts carrying an asked-for hashtag join them; only
 * those get the full score.
 */
export function rankForYou(ctx: RankContext): Ranked[] {
  const { signals, params } = ctx;
  const W = FOR_YOU_WEIGHTS;
  const profile = signals.interests.vector(params.user);
  const all: Post[] = [];
  const prelim: number[] = [];
  for (const post of signals.posts.posts.values()) {
    if (post.pubkey === params.user) continue;
    const rel = profile && post.vector ? Math.max(0, dotQ(profile, post.vector)) : 0;
    all.push(post);
    prelim.push((W.relevance * rel + W.trust * ctx.trust(post.pubkey)) * (0.25 + 0.75 * ctx.recency(post.createdAt)));
  }
  const chosen = new Set<Post>();
  const min = kthLargest(prelim, FOR_YOU_CANDIDATES);
  for (let i = 0; i < all.length; i++) if (prelim[i]! >= min) chosen.add(all[i]!);
  for (const [who, d] of ctx.hops) {
    if (d !== 1) continue;
    for (const id of signals.engagement.byPerson.get(who)?.keys() ?? []) {
      const p = signals.posts.get(id);
      if (p) chosen.add(p);
    }
  }
  const engaged: Post[] = [];
  const counts: number[] = [];
  for (const id of signals.engagement.byEvent.keys()) {
    const p = signals.posts.get(id);
    if (p) (engaged.push(p), counts.push(signals.engagement.count(id)));
  }
  const minCount = kthLargest(counts, MOST_ENGAGED);
  for (let i = 0; i < engaged.length; i++) if (counts[i]! >= minCount) chosen.add(engaged[i]!);
  if (params.topics.length) for (const p of all) if (p.hashtags.some((t) => params.topics.includes(t))) chosen.add(p);

  const out: Ranked[] = [];
  for (const post of chosen) {
    if (post.pubkey === params.user || !ctx.visible(post) || signals.engagement.engagedWith(params.user, post.id)) continue;
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
  return topRanked(out);
}
