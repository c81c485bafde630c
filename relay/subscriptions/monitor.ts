import type { Filter, NostrEvent } from '../nostr/types.ts';
import { matchFilter } from '../nostr/filter.ts';
import { searchScore } from '../nostr/search.ts';
import type { Subscription } from './subscription.ts';

interface Entry<Owner> {
  sub: Subscription<Owner>;
  filter: Filter;
  index: number;
}

type Bucket<Owner> = Map<string, Set<Entry<Owner>>>;

function addTo<Owner>(bucket: Bucket<Owner>, key: string, entry: Entry<Owner>): void {
  let set = bucket.get(key);
  if (!set) bucket.set(key, (set = new Set()));
  set.add(entry);
}

function removeFrom<Owner>(bucket: Bucket<Owner>, key: string, entry: Entry<Owner>): void {
  const set = bucket.get(key);
  if (!set) return;
  set.delete(entry);
  if (set.size === 0) bucket.delete(key);
}

/**
 * Live subscriptions, indexed so that a new event is only matched against filters that could
 * want it. Each filter sits under its most selective field (ids > authors > tag values >
 * kinds); filters with none of these are checked for every event.
 */
export class Monitor<Owner = unknown> {
  private readonly byId: Bucket<Owner> = new Map();
  private readonly byAuthor: Bucket<Owner> = new Map();
  private readonly byTag: Bucket<Owner> = new Map();
  private readonly byKind: Bucket<Owner> = new Map();
  private readonly rest = new Set<Entry<Owner>>();
  private readonly entries = new Map<Subscription<Owner>, Entry<Owner>[]>();
  private seq = 0;

  get size(): number {
    return this.entries.size;
  }

  add(sub: Subscription<Owner>): void {
    const list = sub.filters.map((filter, index) => ({ sub, filter, index }));
    this.entries.set(sub, list);
    for (const e of list) this.place(e, true);
  }

  remove(sub: Subscription<Owner>): void {
    const list = this.entries.get(sub);
    if (!list) return;
    this.entries.delete(sub);
    for (const e of list) this.place(e, false);
  }

  private place(e: Entry<Owner>, add: boolean): void {
    const f = e.filter;
    const put = add ? addTo<Owner> : removeFrom<Owner>;
    if (f.ids) for (const id of f.ids) put(this.byId, id, e);
    else if (f.authors) for (const a of f.authors) put(this.byAuthor, a, e);
    else if (f.tags && f.tags.size > 0) {
      const [letter, values] = f.tags.entries().next().value as [string, string[]];
      for (const v of values) put(this.byTag, `${letter}:${v}`, e);
    } else if (f.kinds) for (const k of f.kinds) put(this.byKind, String(k), e);
    else if (add) this.rest.add(e);
    else this.rest.delete(e);
  }

  /** Subscriptions that want this event, each once. `limit` does not apply to live events. */
  match(event: NostrEvent): Subscription<Owner>[] {
    const stamp = ++this.seq;
    const out: Subscription<Owner>[] = [];
    const consider = (set: Set<Entry<Owner>> | undefined) => {
      if (!set) return;
      for (const e of set) {
        if (e.sub.lastSeen === stamp || !matchFilter(e.filter, event)) continue;
        const tokens = e.sub.searchTokens[e.index];
        if (tokens && searchScore(e.filter.search!, tokens, event.content) === 0) continue;
        e.sub.lastSeen = stamp;
        out.push(e.sub);
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
