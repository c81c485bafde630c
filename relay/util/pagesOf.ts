import type { RelayServices } from '../services.ts';
import type { Filter, NostrEvent } from '../nostr/types.ts';

/**
 * Stored events matching a filter, read newest-first in pages so a large store is never held
 * in one array. Each page ends at a second; the next page re-reads that second (`until`) and
 * skips the ids already handed over, so ties at a boundary are not repeated (a single second
 * holding more than a page of events is cut at the page size).
 */
export function* pagesOf(services: Pick<RelayServices, 'query'>, filter: Filter, pageSize = 5000): Generator<NostrEvent[]> {
  let until = filter.until;
  let seen = new Set<string>();
  for (;;) {
    const raw = services.query([{ ...filter, until, limit: pageSize }]);
    const page = raw.filter((e) => !seen.has(e.id));
    if (page.length > 0) yield page;
    if (raw.length < pageSize) return;
    const last = raw.at(-1)!.created_at;
    if (page.length === 0) {
      // a full page inside one second, all seen: older seconds next
      until = last - 1;
      seen = new Set();
      continue;
    }
    const atLast = page.filter((e) => e.created_at === last).map((e) => e.id);
    seen = last === until ? new Set([...seen, ...atLast]) : new Set(atLast);
    until = last;
  }
}
