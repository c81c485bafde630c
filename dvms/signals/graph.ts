import type { NostrEvent } from '../../relay/nostr/types.ts';

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The village's follow graph from kind 3 lists (newest list per author wins), and hop
 * distances from a member: 1 = people they follow, 2 = people those follow, … — the member's
 * trust circles. Distances are cached per member until the graph changes.
 */
export class FollowGraph {
  private readonly lists = new Map<string, { at: number; id: string; follows: Set<string> }>();
  private readonly hopCache = new Map<string, { maxHops: number; hops: Map<string, number> }>();

  apply(e: NostrEvent): boolean {
    if (e.kind !== 3) return false;
    const old = this.lists.get(e.pubkey);
    // NIP-01 replaceable: newest wins; on a tie, the lowest id
    if (old && (old.at > e.created_at || (old.at === e.created_at && old.id <= e.id))) return false;
    const follows = new Set<string>();
    for (const t of e.tags) if (t[0] === 'p' && t[1] && HEX64.test(t[1]) && t[1] !== e.pubkey) follows.add(t[1]);
    this.lists.set(e.pubkey, { at: e.created_at, id: e.id, follows });
    this.hopCache.clear();
    return true;
  }

  following(pubkey: string): ReadonlySet<string> {
    return this.lists.get(pubkey)?.follows ?? EMPTY;
  }

  /** Hop distance from `from` to everyone within `maxHops` (`from` itself at 0). */
  hops(from: string, maxHops = 3): ReadonlyMap<string, number> {
    const cached = this.hopCache.get(from);
    if (cached && cached.maxHops >= maxHops) return cached.hops;
    const hops = new Map<string, number>([[from, 0]]);
    let frontier = [from];
    for (let d = 1; d <= maxHops && frontier.length > 0; d++) {
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
    if (this.hopCache.size > 5000) this.hopCache.clear();
    this.hopCache.set(from, { maxHops, hops });
    return hops;
  }

  /** Distance from the nearest of several roots (the village's members), within maxHops. */
  hopsFromAny(roots: readonly string[], maxHops: number): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of roots) for (const [pk, d] of this.hops(r, maxHops)) if (d <= maxHops && d < (out.get(pk) ?? Infinity)) out.set(pk, d);
    return out;
  }

  get size(): number {
    return this.lists.size;
  }
}

const EMPTY: ReadonlySet<string> = new Set();
