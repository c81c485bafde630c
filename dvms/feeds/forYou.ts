import type { Post } from '../signals/posts.ts';
import { dotQ } from '../signals/vectors.ts';
import { coLikes } from './coLikes.ts';
import type { RankContext, Ranked } from './context.ts';
import type { SignalWeights } from './params.ts';
import { kthLargest, topRanked } from './top.ts';
import { reasonDetail, type ReasonCode } from './reasons.ts';

/** How much each part counts at the member's weights of 1; tuned on the evaluation village (test/eval). */
export const FOR_YOU_WEIGHTS = { relevance: 3.5, trust: 0.6, follows: 0.5, coLikes: 3.5, village: 0.3, topic: 2, fresh: 0.15 };

/** Posts fully scored per request: the best by relevance and trust, plus every socially or topically picked one. */
export const FOR_YOU_CANDIDATES = 2000;
const MOST_ENGAGED = 300;
const MOST_CO_LIKED = 1000;

/** Share of a score that newness decides at freshness_weight w: 0 at 0, 0.85 at 1 (as tuned), near all of it from 3. */
export const freshnessShare = (w: number): number => 1 - 0.15 ** w;

/**
 * For you. Each candidate post is scored by parts, each scaled by the member's weight for it
 * (params, or their saved settings):
 * - relevance: closeness (by the village's meaning-aware embedding) to what the member posts,
 *   likes, reposts and bookmarks;
 * - social: co-likes (what people who engaged with what the member engaged with engaged with)
 *   and engagement by the people the member follows;
 * - trust: the author's place in the member's circles;
 * - popularity: trust-weighted engagement across the village;
 * - asked-for topics (params, or the member's kind 10015 list);
 * and then by freshness (how much newness decides: `freshness_weight`). Spam, muted and
 * excluded posts never enter (RankContext.visible); posts the member already engaged with are
 * left out. The reason is the part that contributed most, in words with its particulars.
 *
 * Two passes keep it fast on a large window: a cheap score (relevance, trust, recency) over
 * every post picks the best FOR_YOU_CANDIDATES; posts engaged with by people the member
 * follows, the most co-liked, the most engaged and posts carrying an asked-for hashtag join
 * them; only those get the full score.
 */
export function rankForYou(ctx: RankContext): Ranked[] {
  const { signals, params } = ctx;
  const W = FOR_YOU_WEIGHTS;
  const M: SignalWeights = params.weights;
  // freshness w: newness decides a larger share of the score, and posts age w times as fast
  const fresh = freshnessShare(M.freshness);
  const halfLife = params.recencyHalfLifeH / Math.max(M.freshness, 1e-6);
  const age = (createdAt: number) => (fresh === 0 ? 1 : 1 - fresh + fresh * ctx.recency(createdAt, halfLife));
  const profile = signals.interests.vector(params.user);
  const similarity = (post: Post) => (profile && post.vector ? dotQ(profile, post.vector) : 0);
  const all: Post[] = [];
  const sims: number[] = [];
  for (const post of signals.posts.posts.values()) {
    if (post.pubkey === params.user) continue;
    all.push(post);
    sims.push(similarity(post));
  }
  const { relevance, onTopic } = closeness(sims, M.relevance > 0);
  const prelim = all.map((post, i) => (M.relevance * W.relevance * relevance(sims[i]!) + M.trust * W.trust * ctx.trust(post.pubkey)) * age(post.createdAt));
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
  const coLiked = M.social > 0 ? coLikes(signals.engagement, params.user, (who) => ctx.spammers.has(who)) : new Map();
  const byCoLikes = [...coLiked].sort((a, b) => b[1].score - a[1].score).slice(0, MOST_CO_LIKED);
  for (const [id] of byCoLikes) {
    const p = signals.posts.get(id);
    if (p) chosen.add(p);
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
  const followsEngaged = new Map<string, number>();
  for (const post of chosen) {
    if (post.pubkey === params.user || !ctx.visible(post) || signals.engagement.engagedWith(params.user, post.id)) continue;
    const eng = ctx.engagement(post.id);
    if (eng.follows > 0) followsEngaged.set(post.id, eng.follows);
    const co = coLiked.get(post.id);
    const hop = ctx.hops.get(post.pubkey);
    const topic = params.topics.length ? ctx.topicMatch(post) : undefined;
    const recency = ctx.recency(post.createdAt);
    const sim = similarity(post);
    const parts: [ReasonCode, number][] = [
      ['similar_to_your_posts', M.relevance * W.relevance * relevance(sim)],
      [hop === 1 ? 'followed' : hop !== undefined ? 'in_your_circles' : 'village', M.trust * W.trust * ctx.trust(post.pubkey)],
      ['liked_by_follows', M.social * W.follows * Math.min(1, eng.byFollows / 3)],
      ['co_liked', M.social * W.coLikes * (co?.score ?? 0) * onTopic(sim)],
      ['trending', M.popularity * W.village * Math.min(1, Math.log1p(eng.score) / 3)],
      ['new', M.freshness * W.fresh * recency],
    ];
    if (topic && topic.strength > 0.15) parts.push([`topic:${topic.topic}`, W.topic * topic.strength]);
    let sum = 0;
    let best = parts[0]!;
    for (const p of parts) {
      sum += p[1];
      if (p[1] > best[1]) best = p;
    }
    out.push({ id: post.id, pubkey: post.pubkey, score: sum * age(post.createdAt), reason: best[0], topic: ctx.topicOf(post) });
  }
  const ranked = topRanked(out);
  // reasons in words for the items a member can page to soon (the rest say their code's text)
  for (const r of ranked.slice(0, WORDED)) {
    const hop = ctx.hops.get(r.pubkey);
    const createdAt = signals.posts.get(r.id)?.createdAt ?? ctx.now;
    r.detail = reasonDetail(r.reason, { about: r.topic, followsEngaged: followsEngaged.get(r.id) ?? 0, neighbours: coLiked.get(r.id)?.neighbours ?? 0, hop, ageH: (ctx.now - createdAt) / 3600 });
  }
  return ranked;
}

/** Most similarities a request sorts to find its quantiles (an even sample of a larger window). */
const QUANTILE_SAMPLE = 8192;

/**
 * How close a post is to the member, read against their similarity to the village's posts as a
 * whole (not a fixed number, which would mean something else for every embedding): relevance
 * counts only what a post has above the median post's, and co-likes count fully from the top
 * quarter's threshold, fading to a tenth at the median (a co-engager's other interests are not
 * the member's: on the evaluation village co-likes alone pulled in young posts off the member's
 * topics, a tenth of the hashtag-free items). A floor at the top quarter measured better there
 * (hashtag-free P@10 0.77 against 0.75) but leaves a member whose topic is a quarter of the
 * village with little relevance, so the median. A member who sets relevance_weight 0 asked for
 * no topical judgement: co-likes then count whole.
 */
function closeness(sims: readonly number[], judge: boolean): { relevance: (sim: number) => number; onTopic: (sim: number) => number } {
  const step = Math.max(1, Math.floor(sims.length / QUANTILE_SAMPLE));
  const sorted = Float64Array.from({ length: Math.ceil(sims.length / step) }, (_, i) => sims[i * step]!).sort();
  const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : 0);
  const median = at(0.5);
  const top = at(0.75);
  return {
    relevance: (sim) => Math.max(0, sim - median),
    onTopic: (sim) => (!judge || top <= median ? 1 : Math.max(0.1, Math.min(1, (sim - median) / (top - median)))),
  };
}

/** Items given their reason in words (pages beyond them fall back to the reason code's text). */
const WORDED = 1000;
