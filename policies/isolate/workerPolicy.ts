import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../relay/util/tsWorker.ts';
import type { Logger } from '../../relay/log.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { Policy } from '../policy.ts';
import type { Call, CallStage, FromWorker, ToWorker, WorkerInit } from './protocol.ts';

/** Loading a file in a fresh thread compiles it; a top level that never finishes is a failed load. */
const LOAD_TIMEOUT_MS = 15_000;
const LOG_FIELDS_DROPPED = new Set(['level', 'time', 'msg']);

/**
 * An operator policy running in a worker thread (the default for operator files). The
 * pipeline's time budget answers a slow call. While calls are outstanding the watchdog pings the
 * thread: a thread that cannot answer a ping within `hangMs` is stuck (a synchronous endless loop
 * cannot be interrupted in-thread), so it is terminated, its calls fail (the step's onError
 * answers them) and a new thread loads the file; calls made meanwhile wait for it.
 */
export class WorkerPolicy {
  private worker!: Worker;
  private seq = 0;
  private outgoing: Call[] = [];
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; since: number }>();
  private readonly watchdog: NodeJS.Timeout;
  /** When the unanswered ping was sent. */
  private pingAt: number | undefined;
  /** Until the thread has loaded the file it cannot answer pings: no watchdog then. */
  private starting = true;
  /** Why calls fail at once: the thread could not be started again (until the file is reloaded). */
  private broken: string | undefined;
  private closed = false;
  /** Stages the file implements (known once started). */
  stages: CallStage[] = [];
  private committedHook = false;
  restarts = 0;

  private constructor(
    private readonly init: WorkerInit,
    /** The step's logger (it carries the policy's name). */
    private readonly log: Logger,
    private readonly hangMs: number,
  ) {
    this.watchdog = setInterval(() => this.check(), Math.max(50, Math.min(500, hangMs / 4)));
    this.watchdog.unref();
  }

  /** Starts the worker and waits until the file is loaded (or throws its load error). */
  static async start(init: WorkerInit, log: Logger, hangMs: number): Promise<WorkerPolicy> {
    const w = new WorkerPolicy(init, log, hangMs);
    try {
      await w.spawn();
    } catch (err) {
      await w.close();
      throw err;
    }
    return w;
  }

  private spawn(): Promise<void> {
    this.starting = true;
    const worker = startTsWorker(new URL('./worker.ts', import.meta.url), { workerData: this.init });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      const loading = setTimeout(() => {
        reject(new Error(`the file did not load within ${LOAD_TIMEOUT_MS / 1000} s`));
        void worker.terminate();
      }, LOAD_TIMEOUT_MS);
      loading.unref();
      const settled = () => clearTimeout(loading);
      worker.on('message', (m: FromWorker) => {
        // A replaced thread's late messages: its calls were failed when it was replaced.
        if (worker !== this.worker) return;
        switch (m.type) {
          case 'ready':
            settled();
            this.stages = m.stages;
            this.committedHook = m.committed;
            this.starting = false;
            resolve();
            break;
          case 'failed':
            settled();
            reject(new Error(m.error));
            break;
          case 'pong':
            this.pingAt = undefined;
            break;
          case 'answers':
            for (const a of m.answers) {
              const p = this.pending.get(a.seq);
              if (!p) continue;
              this.pending.delete(a.seq);
              if ('error' in a) p.reject(new Error(a.error));
              else p.resolve(a.decision);
            }
            break;
          case 'log':
            this.relog(m.line);
        }
      });
      worker.on('error', (err) => {
        settled();
        reject(err);
        if (worker === this.worker) this.failAll(err);
      });
      worker.on('exit', (code) => {
        settled();
        reject(new Error(`policy worker exited (${code})`));
        if (worker !== this.worker || this.closed || this.starting) return;
        // Died on its own (process.exit, out of memory): its calls fail, a new thread takes over.
        this.restart(`exited with code ${code}`);
      });
    });
  }

  /** A line of the policy's log, at its level, under the step's logger (which names the policy). */
  private relog(line: string): void {
    let rec: Record<string, unknown>;
    try {
      rec = JSON.parse(line) as Record<string, unknown>;
    } catch {
      this.log.info(line);
      return;
    }
    const label = this.log.levels.labels[rec.level as number] ?? 'info';
    const fields = Object.fromEntries(Object.entries(rec).filter(([k]) => !LOG_FIELDS_DROPPED.has(k)));
    (this.log[label as 'info'] ?? this.log.info).call(this.log, fields, typeof rec.msg === 'string' ? rec.msg : '');
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private check(): void {
    if (this.closed || this.starting || this.broken) return;
    const now = Date.now();
    if (this.pingAt !== undefined && now - this.pingAt > this.hangMs) {
      this.restart(`busy for more than ${this.hangMs} ms`);
      return;
    }
    // Calls the pipeline has long answered by its time budget: the thread is free but never replied.
    for (const [seq, p] of this.pending) {
      if (now - p.since <= this.hangMs) break;
      this.pending.delete(seq);
      p.reject(new Error(`no answer within ${this.hangMs} ms`));
    }
    if (this.pending.size > 0 && this.pingAt === undefined) {
      this.pingAt = now;
      this.worker.postMessage({ type: 'ping' } satisfies ToWorker);
    }
  }

  /** Replaces the thread: pending calls fail now, new calls wait for the new thread. */
  private restart(why: string): void {
    this.log.error({ hangMs: this.hangMs }, `policy worker ${why}; restarting it`);
    const old = this.worker;
    this.pingAt = undefined;
    this.restarts++;
    this.failAll(new Error(`policy worker ${why} and was restarted`));
    this.spawn().catch((err: Error) => {
      if (this.closed) return;
      this.broken = `policy worker could not be restarted: ${err.message}`;
      this.log.error({ err: err.message }, 'policy worker could not be restarted; the step follows its onError until the file is reloaded');
      this.failAll(new Error(this.broken));
    });
    void old.terminate();
  }

  call(stage: CallStage, input: unknown): Promise<unknown> {
    if (this.broken) return Promise.reject(new Error(this.broken));
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, since: Date.now() });
      if (this.outgoing.length === 0) setImmediate(() => this.flush());
      this.outgoing.push({ seq, stage, input });
    });
  }

  /** Sends the calls of this turn as one message (a message per event costs more than the policy). */
  private flush(): void {
    const calls = this.outgoing;
    this.outgoing = [];
    if (this.closed) return;
    try {
      this.worker.postMessage({ type: 'calls', calls } satisfies ToWorker);
    } catch {
      // An input that cannot be cloned: send one by one so only that call fails.
      for (const c of calls) {
        try {
          this.worker.postMessage({ type: 'calls', calls: [c] } satisfies ToWorker);
        } catch (err) {
          this.pending.get(c.seq)?.reject(err as Error);
          this.pending.delete(c.seq);
        }
      }
    }
  }

  /** The policy object the pipeline calls. */
  policy(): Policy {
    const p: Policy = { close: () => this.close() };
    if (this.committedHook) {
      p.committed = (event: NostrEvent) => {
        if (!this.broken) this.worker.postMessage({ type: 'committed', event } satisfies ToWorker);
      };
    }
    for (const s of this.stages) (p as Record<string, unknown>)[s] = (input: unknown) => this.call(s, input);
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    this.failAll(new Error('policy worker closed'));
    await this.worker?.terminate();
  }
}
