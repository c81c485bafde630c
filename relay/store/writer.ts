import type { RootDatabase } from 'lmdb';
import type { NostrEvent } from '../nostr/types.ts';
import type { Mutations, WriteOutcome } from './mutations.ts';
import { recordWriteBatch } from '../metrics/registry.ts';

interface Pending {
  run: () => unknown;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

/**
 * The single writer. Everything submitted in one event-loop turn (up to `batchSize`) runs in
 * one LMDB write transaction; promises resolve only once that transaction is committed and
 * flushed to disk, so an `OK true` is never sent for an event a crash could lose.
 */
export class Writer {
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight = 0;
  /** A transaction handed to LMDB and not yet committed; later writes queue behind it. */
  private committing = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly env: RootDatabase,
    private readonly mutations: Mutations,
    private readonly batchSize: number,
  ) {}

  store(event: NostrEvent, json: string, held = false): Promise<WriteOutcome> {
    return this.run(() => this.mutations.store(event, json, held));
  }

  /** Runs any mutation inside the next write transaction (moderation, sweeps). */
  run<T>(fn: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ run: fn, resolve: resolve as (v: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Group commit: one transaction at a time is being written; what arrives meanwhile waits and
   * goes into the next one (up to batchSize). A commit costs about the same for 10 events as for
   * 300 (the touched index pages are written once), so under load the batches grow by themselves,
   * and an idle relay still commits a lone event at once. The flush to disk of one transaction
   * overlaps the writing of the next (overlappingSync).
   */
  private flush(): void {
    this.scheduled = false;
    if (this.committing || this.queue.length === 0) return;
    void this.commit(this.queue.splice(0, this.batchSize));
  }

  private async commit(batch: Pending[]): Promise<void> {
    this.inFlight++;
    const results: { ok: boolean; value: unknown }[] = [];
    const started = performance.now();
    this.committing = true;
    try {
      let flushed: Promise<unknown>;
      try {
        await this.env.transaction(() => {
          this.mutations.beginTransaction();
          for (const item of batch) {
            try {
              results.push({ ok: true, value: item.run() });
            } catch (err) {
              results.push({ ok: false, value: err });
            }
          }
        });
        // Pin this transaction's flush before the next one starts (env.flushed follows the latest).
        flushed = new Promise((resolve, reject) => this.env.flushed.then(resolve, reject));
      } finally {
        this.committing = false;
        if (this.queue.length > 0) this.flush();
      }
      await flushed;
      recordWriteBatch(batch.length, (performance.now() - started) / 1000);
      batch.forEach((item, i) => {
        const r = results[i]!;
        if (r.ok) item.resolve(r.value);
        else item.reject(r.value);
      });
    } catch (err) {
      // lmdb-js also rejects err.commitError (the cause, e.g. a full disk); unheld, it would end the process.
      (err as { commitError?: Promise<unknown> }).commitError?.catch(() => undefined);
      for (const item of batch) item.reject(err);
    } finally {
      this.inFlight--;
      if (this.inFlight === 0 && this.queue.length === 0) for (const done of this.idle.splice(0)) done();
    }
  }

  /** Resolves once everything submitted so far is committed (graceful shutdown). */
  drain(): Promise<void> {
    if (this.inFlight === 0 && this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }
}
