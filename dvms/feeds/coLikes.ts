import type { EngagementIndex } from '../signals/engagement.ts';

/** Most of the member's own engagements read (the newest), and most items read per neighbour. */
const MY_ITEMS = 300;
const THEIR_ITEMS = 300;
/** Most neighbours kept (the most similar): beyond them the signal is noise and the cost grows. */
const NEIGHBOURS = 200;

export interface CoLiked {
  /** Sum of the similarities of the neighbours who engaged with it, scaled to 0-1 by the best item. */
  score: number;
  /** How many of the member's neighbours engaged with it. */
  neighbours: number;
}

/** The last n keys of a map (insertion order: the newest engagements). */
function newest(m: Map<string, number>, n: number): string[] {
  const keys = [...m.keys()];
  return keys.length > n ? keys.slice(-n) : keys;
}

/**
 * Co-likes, the collaborative signal: people who engaged (liked, reposted, replied, zapped) with
 * what the member engaged with are their neighbours, as similar as the overlap of what they
 * engaged with (cosine of the two sets); a post scores the summed similarity of the neighbours
 * who engaged with it. Posts only a popular crowd liked score little unless that crowd shares
 * the member's taste. `exclude` people (muted, or a ring that only boosts itself) are not
 * neighbours.
 */
export function coLikes(engagement: EngagementIndex, user: string, exclude: (person: string) => boolean = () => false): Map<string, CoLiked> {
  const mine = engagement.byPerson.get(user);
  const out = new Map<string, CoLiked>();
  if (!mine || mine.size === 0) return out;
  const myItems = newest(mine, MY_ITEMS);
  const overlap = new Map<string, number>();
  for (const id of myItems) {
    const by = engagement.get(id)?.by;
    if (!by) continue;
    for (const who of by.keys()) if (who !== user && !exclude(who)) overlap.set(who, (overlap.get(who) ?? 0) + 1);
  }
  const neighbours = [...overlap]
    .map(([who, n]) => [who, n / Math.sqrt(myItems.length * (engagement.byPerson.get(who)?.size ?? 1))] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, NEIGHBOURS);
  let best = 0;
  for (const [who, sim] of neighbours) {
    for (const id of newest(engagement.byPerson.get(who)!, THEIR_ITEMS)) {
      if (mine.has(id)) continue;
      const c = out.get(id) ?? { score: 0, neighbours: 0 };
      c.score += sim;
      c.neighbours++;
      out.set(id, c);
      if (c.score > best) best = c.score;
    }
  }
  if (best > 0) for (const c of out.values()) c.score /= best;
  return out;
}
