import type { Signals } from '../signals/index.ts';
import type { PeopleParams } from './params.ts';
import type { PeopleReason } from './reasons.ts';

export interface Suggestion {
  pubkey: string;
  score: number;
  reason: PeopleReason;
  /** Follow hops from the member (undefined: outside their circles, in the village). */
  hops?: number;
}

/** Hashtags per person compared (theirs and the member's). */
const TOPICS_COMPARED = 10;

/** Each signal's weight; each is first scaled to 0-1 (a count saturates at three). */
const WEIGHT = { similar: 0.3, topics: 0.3, youLiked: 0.15, sameLikes: 0.15, followedBy: 0.1 } as const;
/** Follows of follows first, then one hop further, then the rest of the village. */
const CIRCLE_BONUS: Record<number, number> = { 2: 0.3, 3: 0.15 };

const saturate = (n: number): number => Math.min(1, n / 3);

function dot(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** What a person cares for, as hashtags: their interest list (10015) and what they post and engage with. */
function topicsOf(signals: Signals, person: string): Set<string> {
  return new Set([...signals.declaredInterests(person), ...signals.interests.topHashtags(person, TOPICS_COMPARED)]);
}

/**
 * People the member may like to meet: within their trust circle (follows of follows first) or,
 * with wot_hops 0, anyone active in the village; scored by shared interests (embedding of what
 * each posts and engages with, shared hashtags), co-engagement (the same posts liked; the member
 * liking their posts) and how many of the member's follows follow them. Never the member, anyone
 * they follow or mute, nor the village's own keys (`excluded`), nor spammers and their rings. Each suggestion's reason names
 * the countable signal that weighed most for it (similarity only when there is none).
 */
export function suggestPeople(signals: Signals, p: PeopleParams, excluded: ReadonlySet<string>): Suggestion[] {
  const me = p.user;
  const follows = signals.graph.following(me);
  const muted = signals.mutes.of(me)?.pubkeys;
  const hops = signals.graph.hops(me, Math.max(3, p.wotHops));

  const candidates = new Set<string>();
  for (const [pk, d] of hops) if (d >= 2 && (p.wotHops === 0 || d <= p.wotHops)) candidates.add(pk);
  if (p.wotHops === 0) {
    for (const post of signals.posts.posts.values()) candidates.add(post.pubkey);
    for (const who of signals.engagement.byPerson.keys()) candidates.add(who);
  }

  // counted once for the member: who their follows follow, whose posts they engaged with
  const followedBy = new Map<string, number>();
  for (const f of follows) for (const pk of signals.graph.following(f)) followedBy.set(pk, (followedBy.get(pk) ?? 0) + 1);
  const myLikes = signals.engagement.byPerson.get(me) ?? new Map<string, number>();
  const youLiked = new Map<string, number>();
  for (const id of myLikes.keys()) {
    const author = signals.posts.get(id)?.pubkey;
    if (author) youLiked.set(author, (youLiked.get(author) ?? 0) + 1);
  }
  const mine = p.topics.length > 0 ? new Set(p.topics) : topicsOf(signals, me);
  const myVector = signals.interests.vector(me);

  const out: Suggestion[] = [];
  for (const pk of candidates) {
    if (pk === me || follows.has(pk) || muted?.has(pk) || excluded.has(pk) || signals.spam.isSpammer(pk)) continue;
    const theirs = topicsOf(signals, pk);
    const shared = [...mine].filter((t) => theirs.has(t));
    // asked about topics: only people who share one of them
    if (p.topics.length > 0 && shared.length === 0) continue;
    const vector = signals.interests.vector(pk);
    let sameLikes = 0;
    const theirLikes = signals.engagement.byPerson.get(pk);
    if (theirLikes) for (const id of myLikes.keys()) if (theirLikes.has(id)) sameLikes++;
    const parts: [PeopleReason, number][] = [
      [`shared_topics:${shared.slice(0, 3).join(',')}`, shared.length > 0 ? WEIGHT.topics * saturate(shared.length) : 0],
      [`you_liked:${youLiked.get(pk) ?? 0}`, WEIGHT.youLiked * saturate(youLiked.get(pk) ?? 0)],
      [`liked_same_posts:${sameLikes}`, WEIGHT.sameLikes * saturate(sameLikes)],
      [`followed_by_follows:${followedBy.get(pk) ?? 0}`, WEIGHT.followedBy * saturate(followedBy.get(pk) ?? 0)],
      ['similar_posts', myVector && vector ? WEIGHT.similar * Math.max(0, dot(myVector, vector)) : 0],
    ];
    const interest = parts.reduce((s, [, w]) => s + w, 0);
    const d = hops.get(pk);
    // someone the circle vouches for may be suggested on that alone; a stranger needs a shared interest
    const vouched = parts[3]![1];
    if (interest - vouched <= 0 && d !== 2) continue;
    // a countable signal explains better than a similarity (which often only echoes it)
    const best = parts.slice(0, 4).reduce((a, b) => (b[1] > a[1] ? b : a));
    if (best[1] === 0) best[0] = 'similar_posts';
    out.push({ pubkey: pk, score: interest + (d !== undefined ? (CIRCLE_BONUS[d] ?? 0) : 0), reason: best[0], hops: d });
  }
  out.sort((a, b) => b.score - a.score || (a.pubkey < b.pubkey ? -1 : 1));
  return out.slice(0, p.maxResults);
}
