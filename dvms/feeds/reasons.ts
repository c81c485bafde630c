/**
 * Why an item is in a feed: a short code travels with each result (4th element of its tag)
 * and the reason in words with its particulars (6th: "liked by 3 people you follow"); the
 * announcement carries the general text for each code, so a client can show "why am I seeing
 * this" without knowing our algorithms.
 */
export const REASONS: Record<string, string> = {
  followed: 'From someone you follow.',
  in_your_circles: 'From someone in your trust circles: followed by people you follow.',
  liked_by_follows: 'Liked, reposted, replied to or zapped by people you follow.',
  co_liked: 'Engaged with by people who engage with what you engage with (co-likes).',
  similar_to_your_posts: 'About what you post, like, repost and bookmark (by meaning, with the village\'s own local models).',
  'topic:<t>': 'About <t>, one of your topics: asked for, in your interest list, or what you post about (hashtag, topic label, or similar text by local embeddings).',
  trending: 'Gaining engagement in the village right now, weighted by how much the village trusts who engaged.',
  village: 'From the village.',
  new: 'New in the village.',
};

export type ReasonCode = 'followed' | 'in_your_circles' | 'liked_by_follows' | 'co_liked' | 'similar_to_your_posts' | 'trending' | 'village' | 'new' | `topic:${string}`;

/** Human text for a code, e.g. for output text/plain. */
export function reasonText(code: string): string {
  if (code.startsWith('topic:')) return REASONS['topic:<t>']!.replace('<t>', code.slice(6));
  return REASONS[code] ?? code;
}

export interface ReasonFacts {
  /** What the post is about (its hashtag or topic label). */
  about?: string;
  /** People the member follows who engaged with it. */
  followsEngaged: number;
  /** The member's co-likes neighbours who engaged with it. */
  neighbours: number;
  /** The author's hop distance from the member. */
  hop?: number;
  ageH: number;
}

const people = (n: number) => (n === 1 ? '1 person' : `${n} people`);

/** The reason in words, with what makes this item's reason its own. */
export function reasonDetail(code: ReasonCode, f: ReasonFacts): string {
  switch (code) {
    case 'similar_to_your_posts':
      return f.about ? `about ${f.about}, like your posts` : 'close to what you post and like';
    case 'followed':
      return 'from someone you follow';
    case 'in_your_circles':
      return f.hop === 2 ? 'from someone the people you follow follow' : 'from your wider circles';
    case 'liked_by_follows':
      return `liked by ${people(f.followsEngaged)} you follow`;
    case 'co_liked':
      return `liked by ${people(f.neighbours)} who ${f.neighbours === 1 ? 'likes' : 'like'} what you like`;
    case 'trending':
      return f.about ? `popular in the village, about ${f.about}` : 'popular in the village';
    case 'new':
      return f.ageH < 1 ? 'new in the village, less than an hour ago' : `new in the village, ${Math.round(f.ageH)} h ago`;
    case 'village':
      return 'from the village';
    default:
      return `about ${code.slice(6)}, one of your topics`;
  }
}
