/**
 * Why a person is suggested: a code travels with each `p` entry (4th element after the relay),
 * with a count or the shared topics after a colon; the announcement carries the texts.
 */
export const PEOPLE_REASONS: Record<string, string> = {
  'shared_topics:<t,…>': 'Posts about and engages with the same topics as you (named after the colon).',
  'you_liked:<n>': 'You liked, reposted, replied to or zapped n of their posts.',
  'liked_same_posts:<n>': 'Liked, reposted, replied to or zapped n of the posts you did.',
  'followed_by_follows:<n>': 'Followed by n people you follow.',
  similar_posts: 'Posts and likes close to yours (local embeddings).',
};

export type PeopleReason = `shared_topics:${string}` | `you_liked:${number}` | `liked_same_posts:${number}` | `followed_by_follows:${number}` | 'similar_posts';

/** Human text for a code, e.g. for output text/plain. */
export function peopleReasonText(code: string): string {
  const [name, arg] = code.split(':') as [string, string | undefined];
  switch (name) {
    case 'shared_topics':
      return `Also into ${arg!.split(',').join(', ')}.`;
    case 'you_liked':
      return `You engaged with ${arg} of their posts.`;
    case 'liked_same_posts':
      return `Liked ${arg} of the posts you liked.`;
    case 'followed_by_follows':
      return `Followed by ${arg} people you follow.`;
    default:
      return PEOPLE_REASONS[code] ?? code;
  }
}
