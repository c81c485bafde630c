import type { Filter } from '../nostr/types.ts';
import { queryTokens } from '../nostr/search.ts';

/** A live REQ on one connection. `owner` is whatever the transport layer needs to deliver. */
export class Subscription<Owner = unknown> {
  /** Number of the last event delivered, so an event matching several filters is sent once. */
  lastSeen = 0;
  /**
   * Live matches held back while the stored answer is still being read (reads run in slices):
   * the REQ handler sends them after EOSE, leaving out those the stored answer already had.
   */
  held?: { id: string; frame: Buffer }[];
  /** Query words of each filter's NIP-50 `search`, computed once. */
  readonly searchTokens: (string[] | undefined)[];

  constructor(
    readonly owner: Owner,
    readonly id: string,
    readonly filters: Filter[],
  ) {
    this.searchTokens = filters.map((f) => (f.search !== undefined ? queryTokens(f.search) : undefined));
  }
}
