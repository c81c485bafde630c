/**
 * `no_engagement_bait`: a documented heuristic, not a model. A post is bait when it asks for
 * engagement ("like if", "repost if", "follow for follow", "comment below", "tag a friend",
 * giveaways for reposts), or shouts (more than 5 hashtags, or 3+ "!!!"/"🔥" runs, or mostly capitals).
 * It is decided once, when the signals take the post in (they keep no copy of its text).
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

/** The heuristic over a post's content, its number of hashtags, and whether it is mostly capitals. */
export function looksLikeBait(content: string, hashtags: number, shouting: boolean): boolean {
  if (hashtags > 5 || shouting) return true;
  const t = content.toLowerCase();
  if (ASKS.some((r) => r.test(t))) return true;
  return (t.match(/!!!+|🔥🔥+/g) ?? []).length >= 3;
}

/** Whether a post (as the signals keep it) was found to be bait. */
export function isEngagementBait(post: { bait: boolean }): boolean {
  return post.bait;
}
