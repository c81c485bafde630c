import { JobError } from '../types.ts';
import type { RankContext, Ranked } from './context.ts';
import { topRanked } from './top.ts';

/** Below this cosine similarity a post is not about the topic (the built-in embedder's scale). */
export const TOPIC_MIN_SIMILARITY = 0.2;

/**
 * Topic: posts carrying the hashtag (or the word), or whose embedding is close to the topic's
 * text; ordered by match strength, recency, and a little trust and engagement.
 */
export function rankTopic(ctx: RankContext): Ranked[] {
  const { signals, params } = ctx;
  if (params.topics.length === 0) throw new JobError('the topic feed needs a topic: param topics (e.g. "gardening") or an ["i", "<text>", "text"] input');
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
