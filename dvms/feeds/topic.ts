import type { Signals } from '../signals/index.ts';
import { JobError } from '../types.ts';
import type { RankContext, Ranked } from './context.ts';
import { topRanked } from './top.ts';

/** Below this cosine similarity a post is not about the topic (the built-in embedder's scale). */
export const TOPIC_MIN_SIMILARITY = 0.2;

/** How many of the member's (or the village's) topics stand in for a topic the client did not send. */
const OWN_TOPICS = 5;

/**
 * The topics of a request that names none (Amethyst sends no params): the member's interest
 * list (kind 10015) and the hashtags of what they post and engage with; for a newcomer with
 * neither, the village's most used hashtags of the window.
 */
export function ownTopics(signals: Signals, user: string): string[] {
  const mine = [...new Set([...signals.declaredInterests(user), ...signals.interests.topHashtags(user, OWN_TOPICS)])];
  if (mine.length > 0) return mine.slice(0, OWN_TOPICS);
  const counts = new Map<string, number>();
  for (const post of signals.posts.posts.values()) for (const t of post.hashtags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, OWN_TOPICS)
    .map(([t]) => t);
}

/**
 * Topic: posts carrying the hashtag (or the word), or whose embedding is close to the topic's
 * text; ordered by match strength, recency, and a little trust and engagement.
 */
export function rankTopic(ctx: RankContext): Ranked[] {
  const { signals, params } = ctx;
  // only when neither the member nor the village has any hashtag yet (ownTopics stands in otherwise)
  if (params.topics.length === 0) throw new JobError('the topic feed needs a topic: param topics (e.g. "gardening") or an ["i", "<text>", "text"] input; the village has no hashtags yet to choose from');
  const out: Ranked[] = [];
  for (const post of signals.posts.posts.values()) {
    const m = ctx.topicMatch(post);
    if (!m || m.strength < TOPIC_MIN_SIMILARITY || !ctx.visible(post)) continue;
    const eng = ctx.engagement(post.id);
    const score = (m.strength + 0.2 * ctx.trust(post.pubkey) + 0.2 * Math.min(1, Math.log1p(eng.score) / 3)) * (0.3 + 0.7 * ctx.recency(post.createdAt));
    out.push({ id: post.id, pubkey: post.pubkey, score, reason: `topic:${m.topic}`, topic: post.hashtags[0] });
  }
  return topRanked(out);
}
