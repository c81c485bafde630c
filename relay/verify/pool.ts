import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import { createTsPool } from '../util/tsPool.ts';
import type { NostrEvent } from '../nostr/types.ts';
import type { VerifierChoice } from './types.ts';
import type { VerifyItem, VerifyTask } from './worker.ts';

const MAX_BATCH = 128;

interface Waiting {
  item: VerifyItem;
  resolve: (code: number) => void;
  reject: (err: unknown) => void;
}

/**
 * Id hashing and Schnorr verification on worker threads. Requests arriving in the same turn
 * are sent as batches, so the per-task cost of crossing threads is paid once per batch.
 */
export class VerifyPool {
  private readonly piscina: Piscina<VerifyTask, Uint8Array>;
  private waiting: Waiting[] = [];
  private scheduled = false;

  constructor(private readonly choice: VerifierChoice, threads: number) {
    const n = threads > 0 ? threads : availableParallelism();
    this.piscina = createTsPool<VerifyTask, Uint8Array>(new URL('./worker.ts', import.meta.url), n);
  }

  /** Resolves to 0 (valid), 1 (id mismatch) or 2 (bad signature); see worker.ts. */
  check(event: NostrEvent, hashInput: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item: [hashInput, event.id, event.pubkey, event.sig], resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.dispatch());
      }
    });
  }

  private dispatch(): void {
    this.scheduled = false;
    const all = this.waiting;
    this.waiting = [];
    // Spread a turn's work evenly over the threads, in batches of at most MAX_BATCH.
    const threads = this.piscina.threads.length || 1;
    const size = Math.min(MAX_BATCH, Math.max(1, Math.ceil(all.length / threads)));
    for (let i = 0; i < all.length; i += size) {
      const batch = all.slice(i, i + size);
      const task: VerifyTask = { choice: this.choice, items: batch.map((w) => w.item) };
      this.piscina.run(task).then(
        (codes) => batch.forEach((w, j) => w.resolve(codes[j]!)),
        (err: unknown) => batch.forEach((w) => w.reject(err)),
      );
    }
  }

  async close(): Promise<void> {
    await this.piscina.destroy();
  }
}
