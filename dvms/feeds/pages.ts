import type { Database, RootDatabase } from 'lmdb';

interface PageState {
  /** Unix ms. */
  at: number;
  customer: string;
  /** Ids served on this page and every earlier page of the chain (capped). */
  served: string[];
}

const MAX_SERVED = 5000;
const KEEP_MS = 24 * 3600_000;

/**
 * Pagination state, by the request id of each page served: the next request names it (our
 * `cursor` param, or noStrudel's chained `i`) and gets the items after it, never one twice.
 * In LMDB, so a cursor survives a restart; entries older than a day are dropped.
 */
export class FeedPages {
  private readonly db: Database<PageState, string>;

  constructor(env: RootDatabase) {
    this.db = env.openDB<PageState, string>({ name: 'dvm-feed-pages' });
  }

  /** Ids already served in the chain that `after` ends, if it is one of ours and the same customer's. */
  served(after: string | undefined, customer: string): Set<string> | undefined {
    if (!after) return undefined;
    const s = this.db.get(after);
    if (!s || s.customer !== customer) return undefined;
    return new Set(s.served);
  }

  async record(requestId: string, customer: string, earlier: ReadonlySet<string> | undefined, page: readonly string[]): Promise<void> {
    const served = [...(earlier ?? []), ...page].slice(-MAX_SERVED);
    await this.db.put(requestId, { at: Date.now(), customer, served });
  }

  async prune(now = Date.now()): Promise<void> {
    for (const { key, value } of this.db.getRange()) if (now - value.at > KEEP_MS) await this.db.remove(key);
  }
}
