import { FollowGraph, type FollowListLoader } from '../../relay/nostr/followGraph.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';

export type { FollowListLoader };

/**
 * Trust as hop distance from the village's members over the follow graph: members are 0, whom
 * they follow 1, and so on up to maxHops. Follow lists are read from the store when first needed
 * and kept current from committed kind 3 events.
 */
export class TrustGraph {
  private members: string[] = [];
  private maxHops = 0;
  readonly graph: FollowGraph;

  constructor(load?: FollowListLoader) {
    this.graph = new FollowGraph(load);
  }

  /** true when the village has named members; without them every distance is unknown. */
  get enabled(): boolean {
    return this.members.length > 0;
  }

  configure(members: string[], maxHops: number): void {
    this.members = [...new Set(members)];
    this.maxHops = maxHops;
  }

  /** Hops from the nearest member, or undefined beyond maxHops (or with no members). */
  distance(pubkey: string): number | undefined {
    return this.area().get(pubkey);
  }

  /** How many pubkeys are within reach (metrics, tests). */
  get size(): number {
    return this.area().size;
  }

  /** Feed every committed event; only kind 3 matters. */
  update(event: NostrEvent): void {
    this.graph.apply(event);
  }

  private area(): ReadonlyMap<string, number> {
    return this.enabled ? this.graph.hopsFromAny(this.members, this.maxHops) : EMPTY;
  }
}

const EMPTY: ReadonlyMap<string, number> = new Map();
