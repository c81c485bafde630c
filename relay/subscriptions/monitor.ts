import type { Filter, NostrEvent } from '../nostr/types.ts';
import { matchFilter } from '../nostr/filter.ts';
import { searchScore } from '../nostr/search.ts';
import type { Subscription } from './subscription.ts';
import { FilterGroup, groupKey, type Member } from './group.ts';

type Bucket<Owner> = Map<string, Set<FilterGroup<Owner>>>;

function addTo<Owner>(bucket: Bucket<Owner>, key: string, g: FilterGroup<Owner>): void {
  let set = bucket.get(key);
  if (!set) bucket.set(key, (set = new Set()));
  set.add(g);
}

function removeFrom<Owner>(bucket: Bucket<Owner>, key: string, g: FilterGroup<Owner>): void {
  const set = bucket.get(key);
  if (!set) return;
  set.delete(g);
  if (set.size === 0) bucket.delete(key);
}

/**
 * Live subscriptions, indexed so that a new event is only matched against filters that could
 * want it. Equal filters (since/until and limit aside) share one FilterGroup, matched once per
 * event however many subscriptions hold it: thousands of clients following the same author or
 * feed cost one filter check, not thousands. Each group sits under its filter's most selective
 * field (ids > authors > tag values > kinds); groups with none of these are checked for every event.
 */
export class Monitor<Owner = unknown> {
  private readonly byId: Bucket<Owner> = new Map();
  private readonly byAuthor: Bucket<Owner> = new Map();
  private readonly byTag: Bucket<Owner> = new Map();
  private readonly byKind: Bucket<Owner> = new Map();
  private readonly rest = new Set<FilterGroup<Owner>>();
  private readonly groups = new Map<string, FilterGroup<Owner>>();
  private readonly entries = new Map<Subscription<Owner>, Member<Owner>[]>();
  private seq = 0;

  get size(): number {
    return this.entries.size;
  }

  /** Distinct filters held (for tests and diagnostics). */
  get groupCount(): number {
    return this.groups.size;
  }

  add(sub: Subscription<Owner>): void {
    this.remove(sub);
    const members = sub.filters.map((filter, index) => {
      const key = groupKey(filter);
      let g = this.groups.get(key);
      if (!g) {
        g = new FilterGroup<Owner>(key, filter, sub.searchTokens[index]);
        this.groups.set(key, g);
        this.place(g, true);
      }
      const m: Member<Owner> = { sub, group: g, since: filter.since ?? -Infinity, until: filter.until ?? Infinity };
      g.members.add(m);
      return m;
    });
    this.entries.set(sub, members);
  }

  remove(sub: Subscription<Owner>): void {
    const members = this.entries.get(sub);
    if (!members) return;
    this.entries.delete(sub);
    for (const m of members) {
      const g = m.group;
      g.members.delete(m);
      if (g.members.size === 0) {
        this.groups.delete(g.key);
        this.place(g, false);
      }
    }
  }

  private place(g: FilterGroup<Owner>, add: boolean): void {
    const f = g.filter;
    const put = add ? addTo<Owner> : removeFrom<Owner>;
    if (f.ids) for (const id of f.ids) put(this.byId, id, g);
    else if (f.authors) for (const a of f.authors) put(this.byAuthor, a, g);
    else if (f.tags && f.tags.size > 0) {
      const [letter, values] = f.tags.entries().next().value as [string, string[]];
      for (const v of values) put(this.byTag, `${letter}:${v}`, g);
    } else if (f.kinds) for (const k of f.kinds) put(this.byKind, String(k), g);
    else if (add) this.rest.add(g);
    else this.rest.delete(g);
  }

  /**
   * Subscriptions that want this event, each once, in the order they were added within each
   * matching filter. `limit` does not apply to live events.
   */
  match(event: NostrEvent): Subscription<Owner>[] {
    const stamp = ++this.seq;
    const out: Subscription<Owner>[] = [];
    const at = event.created_at;
    const consider = (set: Set<FilterGroup<Owner>> | undefined) => {
      if (!set) return;
      for (const g of set) {
        // A group under several keys (two of its authors tagged, say) is checked once per event.
        if (g.lastChecked === stamp) continue;
        g.lastChecked = stamp;
        if (!matchFilter(g.bare, event)) continue;
        if (g.tokens && searchScore(g.filter.search!, g.tokens, event.content) === 0) continue;
        for (const m of g.members) {
          if (m.sub.lastSeen === stamp || at < m.since || at > m.until) continue;
          m.sub.lastSeen = stamp;
          out.push(m.sub);
        }
      }
    };
    consider(this.byId.get(event.id));
    consider(this.byAuthor.get(event.pubkey));
    if (this.byTag.size > 0) {
      for (const tag of event.tags) if (tag[0]?.length === 1 && tag[1] !== undefined) consider(this.byTag.get(`${tag[0]}:${tag[1]}`));
    }
    consider(this.byKind.get(String(event.kind)));
    consider(this.rest);
    return out;
  }
}
