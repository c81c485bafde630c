import type { Filter } from '../nostr/types.ts';
import type { Subscription } from './subscription.ts';

/** One subscription's hold on a group: since/until stay per subscription (clients rarely agree on them). */
export interface Member<Owner> {
  readonly sub: Subscription<Owner>;
  readonly group: FilterGroup<Owner>;
  readonly since: number;
  readonly until: number;
}

/**
 * Live filters that are equal apart from since/until/limit. The field order of the values is
 * kept in the key, so equal keys also mean the same place in the monitor's index.
 */
export function groupKey(f: Filter): string {
  return JSON.stringify([f.ids ?? null, f.authors ?? null, f.kinds ?? null, f.search ?? null, f.tags ? [...f.tags] : null]);
}

export class FilterGroup<Owner> {
  /** The filter without since/until, which are checked per member. */
  readonly bare: Filter;
  /** Insertion-ordered, so an event reaches a group's subscriptions in the order they subscribed. */
  readonly members = new Set<Member<Owner>>();
  /** Number of the last event this group was checked against (a group can sit under several keys). */
  lastChecked = 0;

  constructor(
    readonly key: string,
    readonly filter: Filter,
    /** Query words of the filter's NIP-50 `search`. */
    readonly tokens: string[] | undefined,
  ) {
    const { since: _s, until: _u, limit: _l, ...bare } = filter;
    this.bare = bare;
  }
}
