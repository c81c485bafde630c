import type { NostrEvent } from '../../relay/nostr/types.ts';

/** Loads the newest stored follow lists (kind 3) of these authors. */
export type FollowListLoader = (pubkeys: string[]) => NostrEvent[];

/**
 * Trust as hop distance from the village's members over follow lists: members are 0, whom they
 * follow 1, and so on up to maxHops. Follow lists are read from the store once and then kept
 * current from committed kind 3 events; distances are recomputed lazily after a change that
 * could move them.
 */
export class TrustGraph {
  private members: string[] = [];
  private maxHops = 0;
  private readonly follows = new Map<string, { at: number; list: string[] }>();
  private distances = new Map<string, number>();
  private dirty = true;

  constructor(private readonly load: FollowListLoader = () => []) {}

  /** true when the village has named members; without them every distance is unknown. */
  get enabled(): boolean {
    return this.members.length > 0;
  }

  configure(members: string[], maxHops: number): void {
    this.members = [...new Set(members)];
    this.maxHops = maxHops;
    this.dirty = true;
  }

  /** Hops from the nearest member, or undefined beyond maxHops (or with no members). */
  distance(pubkey: string): number | undefined {
    if (this.dirty) this.recompute();
    return this.distances.get(pubkey);
  }

  /** How many pubkeys are within reach (metrics, tests). */
  get size(): number {
    if (this.dirty) this.recompute();
    return this.distances.size;
  }

  /** Feed every committed event; only kind 3 matters. */
  update(event: NostrEvent): void {
    if (event.kind !== 3) return;
    const known = this.follows.get(event.pubkey);
    if (known && known.at > event.created_at) return;
    this.follows.set(event.pubkey, { at: event.created_at, list: followedIn(event) });
    const d = this.distances.get(event.pubkey);
    // Only a list inside the trusted area can change distances.
    if (d !== undefined && d < this.maxHops) this.dirty = true;
  }

  private recompute(): void {
    const dist = new Map<string, number>();
    let frontier = this.members.filter((m) => !dist.has(m));
    for (const m of frontier) dist.set(m, 0);
    for (let hop = 1; hop <= this.maxHops && frontier.length > 0; hop++) {
      const missing = frontier.filter((p) => !this.follows.has(p));
      if (missing.length > 0) {
        for (const ev of this.load(missing)) {
          const known = this.follows.get(ev.pubkey);
          if (ev.kind === 3 && (!known || known.at < ev.created_at)) this.follows.set(ev.pubkey, { at: ev.created_at, list: followedIn(ev) });
        }
        // Remember authors without a list so they are not queried again.
        for (const p of missing) if (!this.follows.has(p)) this.follows.set(p, { at: -1, list: [] });
      }
      const next: string[] = [];
      for (const p of frontier) {
        for (const f of this.follows.get(p)!.list) {
          if (!dist.has(f)) {
            dist.set(f, hop);
            next.push(f);
          }
        }
      }
      frontier = next;
    }
    this.distances = dist;
    this.dirty = false;
  }
}

function followedIn(event: NostrEvent): string[] {
  const out: string[] = [];
  for (const t of event.tags) if (t[0] === 'p' && typeof t[1] === 'string' && /^[0-9a-f]{64}$/.test(t[1])) out.push(t[1]);
  return out;
}
