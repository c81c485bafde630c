/**
 * Why an item is in a feed: a short code travels with each result (5th element of its tag),
 * and the announcement carries the human text for each code, so a client can show
 * "why am I seeing this" without knowing our algorithms.
 */
export const REASONS: Record<string, string> = {
  followed: 'From someone you follow.',
  in_your_circles: 'From someone in your trust circles: followed by people you follow.',
  liked_by_follows: 'Liked, reposted, replied to or zapped by people you follow.',
  similar_to_your_posts: 'Close to what you post, like, repost and bookmark (local embeddings).',
  'topic:<t>': 'About <t>, a topic you asked for (hashtag, or similar text by local embeddings).',
  trending: 'Gaining engagement in the village right now, weighted by how much the village trusts who engaged.',
  village: 'New in the village.',
};

export type ReasonCode = 'followed' | 'in_your_circles' | 'liked_by_follows' | 'similar_to_your_posts' | 'trending' | 'village' | `topic:${string}`;

/** Human text for a code, e.g. for output text/plain. */
export function reasonText(code: string): string {
  if (code.startsWith('topic:')) return REASONS['topic:<t>']!.replace('<t>', code.slice(6));
  return REASONS[code] ?? code;
}
