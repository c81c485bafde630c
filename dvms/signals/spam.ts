import type { EngagementIndex } from './engagement.ts';
import type { PostIndex } from './posts.ts';

/** A spammer's share of stuffed posts, and the least posts that share is judged on. */
const STUFFED_SHARE = 0.3;
const MIN_POSTS = 2;
/** A booster spends at least this share of their (at least MIN_BOOSTS) engagements on spammers' posts. */
const BOOST_SHARE = 0.6;
const MIN_BOOSTS = 3;
/** How long a verdict is reused before the indexes are read again. */
const TTL_MS = 30_000;

/**
 * Spam recognised from what the signals hold, for every feed to leave out: authors whose posts
 * are often hashtag-stuffed, and the ring around them, the accounts that spend most of their
 * likes and reposts boosting those authors (their own posts go too, and their engagement counts
 * for nothing: it neither trends a post nor makes anyone a neighbour in co-likes). Recomputed
 * at most every 30 s: a linear pass over the window's posts and engagement.
 */
export class SpamIndex {
  private verdict?: { at: number; spammers: Set<string> };

  constructor(
    private readonly posts: PostIndex,
    private readonly engagement: EngagementIndex,
  ) {}

  /** Whether the person is a spammer or in a ring that boosts spammers. */
  isSpammer(pubkey: string): boolean {
    return this.current().has(pubkey);
  }

  /** The people recognised, for insights and tests. */
  spammers(): ReadonlySet<string> {
    return this.current();
  }

  private current(now = Date.now()): Set<string> {
    if (this.verdict && now - this.verdict.at < TTL_MS) return this.verdict.spammers;
    const spammers = new Set<string>();
    for (const [author, ids] of this.posts.byAuthor) {
      if (ids.size < MIN_POSTS) continue;
      let stuffed = 0;
      for (const id of ids) if (this.posts.get(id)?.stuffed) stuffed++;
      if (stuffed / ids.size >= STUFFED_SHARE) spammers.add(author);
    }
    if (spammers.size > 0) {
      for (const [who, items] of this.engagement.byPerson) {
        if (items.size < MIN_BOOSTS || spammers.has(who)) continue;
        let boosts = 0;
        for (const id of items.keys()) {
          const author = this.posts.get(id)?.pubkey;
          if (author && spammers.has(author)) boosts++;
        }
        if (boosts / items.size >= BOOST_SHARE) spammers.add(who);
      }
    }
    this.verdict = { at: now, spammers };
    return spammers;
  }

  /** Forget the verdict (tests, or after a load): the next question reads the indexes again. */
  invalidate(): void {
    this.verdict = undefined;
  }
}
