import type { EngagementIndex } from '../signals/engagement.ts';

/** Most of the member's own engagements read (the newest), and most items read per co-engager. */
const MY_ITEMS = 300;
const THEIR_ITEMS = 300;
/** Most co-engagers read (the most shared with): past them the signal is noise and the cost grows. */
const NEIGHBOURS = 300;

export interface CoLiked {
  /** Its summed item-to-item cosines, scaled to 0-1 by the best item. */
  score: number;
  /** How many of the member's co-engagers (neighbours) engaged with it. */
  neighbours: number;
}

/** The last n keys of a map (insertion order: the newest engagements). */
function newest(m: Map<string, number>, n: number): string[] {
  const keys = [...m.keys()];
  return keys.length > n ? keys.slice(-n) : keys;
}

/**
 * Co-likes, the collaborative signal, item to item: a post scores the sum, over the posts the
 * member engaged with (liked, reposted, replied to, zapped), of the cosine between the two
 * posts' sets of engagers. Summed per person, that is every co-engager (the NEIGHBOURS who
 * share most) weighted by the posts they share with the member, each shared post counting less
 * the more people engaged with it (1/√n), and a candidate's total divided by √(its engagers):
 * a post a popular crowd liked scores little unless that crowd is the member's kind of people.
 * Measured on the evaluation village it beats person-to-person neighbours (P@10 0.88 against
 * 0.86, test/eval). `exclude` people (muted, or a ring that only boosts itself) count for nothing.
 */
export function coLikes(engagement: EngagementIndex, user: string, exclude: (person: string) => boolean = () => false): Map<string, CoLiked> {
  const mine = engagement.byPerson.get(user);
  const out = new Map<string, CoLiked>();
  if (!mine || mine.size === 0) return out;
  const weight = new Map<string, number>();
  for (const id of newest(mine, MY_ITEMS)) {
    const by = engagement.get(id)?.by;
    if (!by) continue;
    const w = 1 / Math.sqrt(by.size);
    for (const who of by.keys()) if (who !== user && !exclude(who)) weight.set(who, (weight.get(who) ?? 0) + w);
  }
  const neighbours = [...weight].sort((a, b) => b[1] - a[1]).slice(0, NEIGHBOURS);
  for (const [who, w] of neighbours) {
    for (const id of newest(engagement.byPerson.get(who)!, THEIR_ITEMS)) {
      if (mine.has(id)) continue;
      const c = out.get(id) ?? { score: 0, neighbours: 0 };
      c.score += w;
      c.neighbours++;
      out.set(id, c);
    }
  }
  let best = 0;
  for (const [id, c] of out) {
    c.score /= Math.sqrt(engagement.get(id)?.by.size ?? 1);
    if (c.score > best) best = c.score;
  }
  if (best > 0) for (const c of out.values()) c.score /= best;
  return out;
}
