import type { RootDatabase } from 'lmdb';
import type { Worker } from 'node:worker_threads';
import type { NostrEvent } from '../nostr/types.ts';
import type { WriteOutcome } from './mutations.ts';
import type { BatchReply, WriteOp, WriterInit } from './writerThread.ts';
import { recordWriteBatch } from '../metrics/registry.ts';
import { startBundledWorker } from '../util/tsWorker.ts';
import { shutAtExit, WriteGate } from './writeGate.ts';

interface Pending {
  op: WriteOp;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

const THREAD = new URL('./writerThread.ts', import.meta.url);

/**
 * The single writer. Everything submitted in one event-loop turn (up to `batchSize`) goes to the
 * writer thread (writerThread.ts) as one batch and is written there in one LMDB transaction;
 * promises resolve only once that transaction is committed and flushed to disk, so an `OK true`
 * is never sent for an event a crash could lose.
 *
 * Group commit: one batch at a time is being written; what arrives meanwhile waits and goes in the
 * next one. A commit costs about the same for 10 events as for 300 (the touched index pages are
 * written once), so under load the batches grow by themselves, and an idle relay still commits a
 * lone event at once.
 */
export class Writer {
  private queue: Pending[] = [];
  private scheduled = false;
  /** The batch the thread is writing; later writes queue behind it. */
  private committing: { batch: Pending[]; started: number } | undefined;
  private idle: (() => void)[] = [];
  private thread: Promise<Worker>;
  private closing = false;
  /** Held shut at exit until the thread is out of its transaction (writeGate.ts). */
  private readonly gate = new WriteGate();
  private readonly forgetGate = shutAtExit(this.gate);

  constructor(
    private readonly env: RootDatabase,
    private readonly init: Omit<WriterInit, 'gate'>,
    private readonly batchSize: number,
  ) {
    this.thread = this.start();
  }

  private start(): Promise<Worker> {
    // No node flags of the process (`-e`, `--input-type`): the thread runs its bundle.
    const thread = startBundledWorker(THREAD, { workerData: { ...this.init, gate: this.gate.buffer } satisfies WriterInit, execArgv: [] });
    thread.then(
      (w) => {
        let answered = false;
        // Kept alive by its work only: a batch refs it (writes a process still awaits), idle unrefs it.
        if (!this.committing) w.unref();
        w.on('message', (reply: BatchReply) => {
          answered = true;
          this.settle(reply);
        });
        const stopped = (err: Error) => {
          if (this.closing) return;
          w.removeAllListeners();
          // A thread that had written takes its successor (its batch fails); one that never could
          // (the database would not open there) leaves every write failing with its reason.
          if (answered) this.thread = this.start();
          else this.thread = Promise.reject(err);
          this.thread.catch(() => undefined);
          if (this.committing) this.settle({ failed: err.message });
        };
        w.on('error', stopped);
        w.on('exit', (code) => stopped(new Error(`the store's writer thread exited (code ${code})`)));
      },
      () => undefined,
    );
    return thread;
  }

  store(event: NostrEvent, json: string, held = false, vanish = false): Promise<WriteOutcome> {
    return this.write({ op: 'store', event, json, held, vanish }) as Promise<WriteOutcome>;
  }

  /** Runs one write in the next transaction (moderation, sweeps, the word index). */
  write(op: WriteOp): Promise<unknown> {
    if (this.closing) return Promise.reject(new Error('the store is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ op, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    if (this.committing || this.queue.length === 0) return;
    const batch = this.queue.splice(0, this.batchSize);
    this.committing = { batch, started: performance.now() };
    void this.thread.then(
      (w) => {
        w.ref();
        w.postMessage(batch.map((p) => p.op));
      },
      (err: Error) => this.settle({ failed: `the store's writer thread did not start: ${err.message}` }),
    );
  }

  private settle(reply: BatchReply): void {
    const done = this.committing;
    if (!done) return;
    this.committing = undefined;
    // The next batch goes first: the thread writes it while this one's callers carry on.
    if (this.queue.length > 0) this.flush();
    // lmdb-js renews this thread's read snapshot on a timer; the callers read what they wrote.
    this.env.resetReadTxn();
    recordWriteBatch(done.batch.length, (performance.now() - done.started) / 1000);
    if ('failed' in reply) {
      const err = new Error(reply.failed);
      for (const p of done.batch) p.reject(err);
    } else {
      done.batch.forEach((p, i) => {
        const r = reply.results[i]!;
        if (r.ok) p.resolve(r.value);
        else p.reject(new Error(r.message));
      });
    }
    if (!this.committing && this.queue.length === 0 && !this.scheduled) {
      void this.thread.then((w) => w.unref(), () => undefined);
      for (const resolve of this.idle.splice(0)) resolve();
    }
  }

  /** Resolves once everything submitted so far is committed (graceful shutdown). */
  drain(): Promise<void> {
    if (!this.committing && this.queue.length === 0 && !this.scheduled) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Writes what was submitted, then stops the thread (it closes its handle on the database). */
  async close(): Promise<void> {
    await this.drain();
    this.closing = true;
    this.forgetGate();
    const w = await this.thread.catch(() => undefined);
    if (!w) return;
    w.ref();
    await new Promise<void>((resolve) => {
      w.once('exit', () => resolve());
      w.postMessage('close');
    });
  }
}
