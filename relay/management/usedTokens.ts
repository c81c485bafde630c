import type { Database, RootDatabase } from 'lmdb';
import type { UsedTokenStore } from './nip98.ts';

/** How often expired marks are swept (on the next use after this many seconds). */
const PRUNE_EVERY_SECONDS = 60;

/**
 * NIP-98 tokens already used, by signature, in an LMDB table of the relay's environment: a
 * replayed token is refused after a restart too. Each mark is kept until its token would be
 * refused as too old anyway, so the table holds about two minutes of management calls.
 */
export class UsedTokens implements UsedTokenStore {
  private readonly db: Database<number, string>;
  private prunedAt = 0;

  constructor(private readonly env: RootDatabase, private readonly now: () => number = () => Math.floor(Date.now() / 1000)) {
    this.db = env.openDB<number, string>({ name: 'nip98-used-tokens' });
  }

  has(sig: string): boolean {
    return this.db.get(sig) !== undefined;
  }

  async add(sig: string, unusableAfter: number): Promise<void> {
    const now = this.now();
    if (now - this.prunedAt >= PRUNE_EVERY_SECONDS) {
      this.prunedAt = now;
      for (const { key, value } of this.db.getRange()) if (value < now) void this.db.remove(key);
    }
    await this.db.put(sig, unusableAfter);
    // overlappingSync: a commit reaches the disk later; the mark must be there before the call runs.
    await this.env.flushed;
  }
}
