import type { Post } from '../signals/posts.ts';

/**
 * `no_engagement_bait`: a documented heuristic, not a model. A post is bait when it asks for
 * engagement ("like if", "repost if", "follow for follow", "comment below", "tag a friend",
 * giveaways for reposts), or shouts (more than 5 hashtags, or 3+ "!!!"/"🔥" runs, or mostly capitals).
 */
const ASKS = [
  /\b(like|repost|rt|retweet|share|zap|boost)\s+(this\s+)?if\b/,
  /\bfollow\s*(4|for)\s*follow\b/,
  /\b(comment|reply)\s+(below|down below)\b/,
  /\btag\s+(a|your)\s+friends?\b/,
  /\b(smash|hit)\s+(that\s+)?(like|follow)\b/,
  /\bgiveaway\b.*\b(repost|like|follow)\b/,
  /\bwho\s+else\b.*\?/,
  /\b(don'?t|do not)\s+scroll\b/,
];

export const BAIT_DESCRIPTION =
  'Hides posts that ask for engagement ("like if…", "repost if…", "follow for follow", "comment below", "tag a friend", giveaways for reposts, "don\'t scroll") or shout (more than 5 hashtags, three or more "!!!" runs, mostly capital letters).';

export function isEngagementBait(post: Post): boolean {
  const t = post.text;
  if (ASKS.some((r) => r.test(t))) return true;
  if (post.hashtags.length > 5) return true;
  if ((t.match(/!!!+|🔥🔥+/g) ?? []).length >= 3) return true;
  return post.shouting;
}
