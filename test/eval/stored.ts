import type { NostrEvent } from '../../relay/nostr/types.ts';

export interface StoredPost {
  id: string;
  pubkey: string;
  createdAt: number;
  hashtagFree: boolean;
}

/**
 * What the relay stored, indexed for the baselines: root posts, who engaged with what (reactions,
 * reposts, replies), who follows whom. Built from the events the relay accepted (OK true), so the
 * baselines see exactly the data the DVMs see.
 */
export class StoredVillage {
  readonly posts = new Map<string, StoredPost>();
  readonly engagers = new Map<string, Set<string>>();
  readonly engaged = new Map<string, Set<string>>();
  readonly follows = new Map<string, Set<string>>();

  /** `now`: the split, from which the baselines count a post's age. */
  constructor(events: Iterable<NostrEvent>, readonly now: number) {
    const acts: [string, string][] = [];
    for (const e of events) {
      const target = e.tags.find((t) => t[0] === 'e')?.[1];
      if (e.kind === 3) this.follows.set(e.pubkey, new Set(e.tags.filter((t) => t[0] === 'p').map((t) => t[1]!)));
      else if (e.kind === 1 && target === undefined) {
        this.posts.set(e.id, { id: e.id, pubkey: e.pubkey, createdAt: e.created_at, hashtagFree: !e.tags.some((t) => t[0] === 't') });
      } else if ((e.kind === 7 || e.kind === 6 || e.kind === 1) && target) acts.push([e.pubkey, target]);
    }
    for (const [who, id] of acts) {
      if (!this.posts.has(id)) continue;
      let a = this.engagers.get(id);
      if (!a) this.engagers.set(id, (a = new Set()));
      a.add(who);
      let b = this.engaged.get(who);
      if (!b) this.engaged.set(who, (b = new Set()));
      b.add(id);
    }
  }

  /** Posts a member may be recommended: not their own, not engaged with yet. */
  candidates(member: string): StoredPost[] {
    const mine = this.engaged.get(member);
    return [...this.posts.values()].filter((p) => p.pubkey !== member && !mine?.has(p.id));
  }

  engagementCount(id: string): number {
    return this.engagers.get(id)?.size ?? 0;
  }
}
