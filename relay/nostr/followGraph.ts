import { isHex64 } from './hex.ts';
import { KIND_FOLLOWS } from './kinds.ts';
import type { NostrEvent } from './types.ts';

/** Loads the newest stored follow lists (kind 3) of these authors. */
export type FollowListLoader = (pubkeys: string[]) => NostrEvent[];

interface FollowList {
  at: number;
  id: string;
  follows: ReadonlySet<string>;
}

interface Reach {
  maxHops: number;
  hops: Map<string, number>;
}

const EMPTY: ReadonlySet<string> = new Set();
const UNKNOWN: FollowList = { at: -1, id: '', follows: EMPTY };
const MAX_CACHED = 5000;

/**
 * The village's follow graph from kind 3 lists (NIP-02; newest list per author wins, on a tie the
 * lowest id), and hop distances over it: 1 = people the roots follow, 2 = people those follow.
 * Trust circles (the DVMs) and web of trust (the policies) both read it. Lists missing from
 * memory are loaded in batches through `load`; distances are cached per set of roots, and a new
 * list drops only the cached areas it could change (its author inside them, short of the edge).
 */
export class FollowGraph {
  private readonly lists = new Map<string, FollowList>();
  private readonly reach = new Map<string, Reach>();

  constructor(private readonly load: FollowListLoader = () => []) {}

  /** Feed any event; true when it was a newer follow list. */
  apply(e: NostrEvent): boolean {
    if (e.kind !== KIND_FOLLOWS) return false;
    const old = this.lists.get(e.pubkey);
    if (old && (old.at > e.created_at || (old.at === e.created_at && old.id <= e.id))) return false;
    this.lists.set(e.pubkey, { at: e.created_at, id: e.id, follows: followedIn(e) });
    for (const [key, r] of this.reach) {
      const d = r.hops.get(e.pubkey);
      if (d !== undefined && d < r.maxHops) this.reach.delete(key);
    }
    return true;
  }

  following(pubkey: string): ReadonlySet<string> {
    return this.lists.get(pubkey)?.follows ?? EMPTY;
  }

  /** Hop distance from `from` to everyone within `maxHops` (`from` itself at 0). */
  hops(from: string, maxHops = 3): ReadonlyMap<string, number> {
    return this.hopsFromAny([from], maxHops);
  }

  /** Distance from the nearest of several roots (the village's members), within maxHops. */
  hopsFromAny(roots: readonly string[], maxHops: number): ReadonlyMap<string, number> {
    const key = roots.length === 1 ? roots[0]! : [...roots].sort().join(',');
    const cached = this.reach.get(key);
    if (cached && cached.maxHops === maxHops) return cached.hops;
    const hops = new Map<string, number>();
    let frontier = [...new Set(roots)];
    for (const r of frontier) hops.set(r, 0);
    for (let d = 1; d <= maxHops && frontier.length > 0; d++) {
      this.loadMissing(frontier);
      const next: string[] = [];
      for (const pk of frontier) {
        for (const f of this.following(pk)) {
          if (!hops.has(f)) {
            hops.set(f, d);
            next.push(f);
          }
        }
      }
      frontier = next;
    }
    if (this.reach.size >= MAX_CACHED) this.reach.clear();
    this.reach.set(key, { maxHops, hops });
    return hops;
  }

  /** Authors with a known follow list. */
  get size(): number {
    let n = 0;
    for (const l of this.lists.values()) if (l !== UNKNOWN) n++;
    return n;
  }

  private loadMissing(pubkeys: string[]): void {
    const missing = pubkeys.filter((p) => !this.lists.has(p));
    if (missing.length === 0) return;
    for (const e of this.load(missing)) this.apply(e);
    // Authors without a stored list are remembered, so they are not asked for again.
    for (const p of missing) if (!this.lists.has(p)) this.lists.set(p, UNKNOWN);
  }
}

function followedIn(e: NostrEvent): ReadonlySet<string> {
  const out = new Set<string>();
  for (const t of e.tags) if (t[0] === 'p' && isHex64(t[1]) && t[1] !== e.pubkey) out.add(t[1]);
  return out;
}
