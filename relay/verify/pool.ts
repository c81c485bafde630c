import { availableParallelism } from 'node:os';
import type { Piscina } from 'piscina';
import { createTsPool } from '../util/tsPool.ts';
import type { NostrEvent } from '../nostr/types.ts';
import type { SchnorrVerifier, VerifierChoice } from './types.ts';
import { checkItem, type VerifyTask } from './worker.ts';
import { BAD_ID, BatchWriter, readBatch } from './batch.ts';

/**
 * Items that make a task at once when a thread is free (~4 ms of native verification). A piscina
 * task has a fixed cost of about half a millisecond of CPU across both threads, so batches of
 * 8-32 cost 25-35% more CPU per event than batches of 128 (measured: 58-61 vs 45 µs per event,
 * pool alone, 2 threads). While every thread is busy nothing is sent: the items wait here and go
 * as one larger task when a thread frees up. (Tasks queued inside piscina were not answered in
 * order: at 100 connections whole batches waited seconds behind later ones, OK p99 2.2 s.)
 */
const MAX_BATCH = 128;

const WORKER = new URL('./worker.ts', import.meta.url);

/**
 * A batch this small, with no task running, is verified on the calling thread: a native check
 * takes ~50 µs, while a round trip to a worker costs more CPU than that across both threads
 * (wake-ups, messages) and adds its latency to every OK of a client that waits for each one.
 */
const INLINE_MAX = 2;
/** ...and only when small: hashing a near-limit event takes a millisecond, better spent off the relay's thread. */
const INLINE_MAX_BYTES = 64 * 1024;

interface Waiting {
  resolve: (code: number) => void;
  reject: (err: unknown) => void;
}

/**
 * Id hashing and Schnorr verification on worker threads. Requests arriving in the same turn are
 * packed into binary batches (batch.ts) and transferred, so a task's cost of crossing threads is
 * paid once per batch and no strings are cloned.
 */
export class VerifyPool {
  /** The pool, once its worker bundle is built (bundle.mjs). */
  private readonly starting: Promise<Piscina<VerifyTask, Uint8Array>>;
  private readonly writer = new BatchWriter();
  private waiting: Waiting[] = [];
  private scheduled = false;
  private readonly threads: number;
  /** Tasks sent and not yet answered. */
  private running = 0;

  /** `inline`: this thread's own verifier, for the small batches of a quiet relay (INLINE_MAX). */
  constructor(private readonly choice: VerifierChoice, threads: number, private readonly inline?: SchnorrVerifier) {
    const n = (this.threads = threads > 0 ? threads : availableParallelism());
    // No thread while idle (each holds a V8 isolate, 25-30 MB of RSS): a quiet relay verifies its lone
    // events inline, and threads start with the first larger batch and stop after a minute without work.
    // Without an inline verifier (tests, tools) one thread stays, as small batches go to the workers.
    this.starting = createTsPool<VerifyTask, Uint8Array>(WORKER, n, { idleThreads: inline ? 0 : 1 });
  }

  /**
   * Resolves once the pool can start threads (its worker bundle is built). Without an inline
   * verifier, also once its idle thread has loaded its verifier, so the first events do not wait.
   * With one, no thread is started for this: a check there left 6 MB of RSS after the thread stopped
   * (measured), and workers load the very verifier the caller loaded and self-tested (the addon is N-API).
   */
  ready(): Promise<void> {
    if (this.inline) return this.starting.then(() => undefined);
    return this.starting.then((p) => p.run({ choice: this.choice, batch: new ArrayBuffer(0), count: 0 })).then(() => undefined);
  }

  /** Resolves to 0 (valid), 1 (id mismatch) or 2 (bad signature); see batch.ts. */
  check(event: NostrEvent, hashInput: string): Promise<number> {
    if (!this.writer.add(hashInput, event.id, event.pubkey, event.sig)) return Promise.resolve(BAD_ID);
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (this.waiting.length >= MAX_BATCH && this.running < this.threads) this.dispatch();
      else if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          if (this.running === 0) this.dispatch();
        });
      }
    });
  }

  /**
   * Sends what is waiting as one task. At the end of a turn it goes at once only when no task is
   * running, and at MAX_BATCH items only when a thread is free; otherwise items collect until a
   * thread frees up. Under load the batches grow and the per-task cost shrinks; a lone event on
   * an idle relay still goes at once.
   */
  private dispatch(): void {
    const batch = this.waiting;
    if (batch.length === 0) return;
    this.waiting = [];
    const task: VerifyTask = { choice: this.choice, batch: this.writer.slice(0, batch.length), count: batch.length };
    this.writer.clear();
    if (this.inline && this.running === 0 && batch.length <= INLINE_MAX && task.batch.byteLength <= INLINE_MAX_BYTES) return this.verifyHere(this.inline, task.batch, batch);
    this.running++;
    this.starting.then((p) => p.run(task, { transferList: [task.batch] })).then(
      (codes) => batch.forEach((w, j) => w.resolve(codes[j]!)),
      (err: unknown) => batch.forEach((w) => w.reject(err)),
    ).finally(() => {
      this.running--;
      if (this.running < this.threads) this.dispatch();
    });
  }

  private verifyHere(v: SchnorrVerifier, items: ArrayBuffer, waiting: Waiting[]): void {
    let j = 0;
    try {
      readBatch(items, (hashInput, id, pubkey, sig) => {
        const code = checkItem(v, hashInput, id, pubkey, sig);
        waiting[j++]!.resolve(code);
      });
    } catch (err) {
      for (const w of waiting.slice(j)) w.reject(err);
    }
  }

  async close(): Promise<void> {
    await (await this.starting.catch(() => undefined))?.destroy();
  }
}
