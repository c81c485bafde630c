import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../relay/util/tsWorker.ts';
import type { Logger } from '../../relay/log.ts';
import type { NostrEvent } from '../../relay/nostr/types.ts';
import type { Policy } from '../policy.ts';
import type { FromWorker, ToWorker, WorkerInit } from './protocol.ts';

type CallStage = 'connection' | 'write' | 'read' | 'auth';

/**
 * An operator policy running in a worker thread (`isolate = "worker"`). The pipeline's time
 * budget answers a slow call; if the worker stays busy past `hangMs` (a synchronous endless
 * loop cannot be interrupted in-thread) it is terminated and started again.
 */
export class WorkerPolicy {
  private worker!: Worker;
  private seq = 0;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void; since: number }>();
  private watchdog: NodeJS.Timeout;
  private closed = false;
  /** Stages the file implements (known once started). */
  stages: string[] = [];
  restarts = 0;

  private constructor(
    private readonly init: WorkerInit,
    private readonly log: Logger,
    private readonly hangMs: number,
  ) {
    this.watchdog = setInterval(() => this.check(), Math.max(50, Math.min(1000, hangMs / 2)));
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
    const worker = startTsWorker(new URL('./worker.ts', import.meta.url), { workerData: this.init });
    this.worker = worker;
    return new Promise((resolve, reject) => {
      worker.on('message', (m: FromWorker) => {
        switch (m.type) {
          case 'ready':
            this.stages = m.stages;
            resolve();
            break;
          case 'failed':
            reject(new Error(m.error));
            break;
          case 'answer':
          case 'error': {
            const p = this.pending.get(m.seq);
            if (!p) return;
            this.pending.delete(m.seq);
            if (m.type === 'answer') p.resolve(m.decision);
            else p.reject(new Error(m.error));
            break;
          }
          case 'log':
            this.log.info({ policy: this.init.name }, m.msg);
        }
      });
      worker.on('error', (err) => {
        reject(err);
        this.failAll(err);
      });
      worker.on('exit', (code) => {
        reject(new Error(`policy worker exited (${code})`));
        if (worker === this.worker) this.failAll(new Error(`policy worker exited (${code})`));
      });
    });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  /** A call outstanding past hangMs means the thread is stuck: replace it. */
  private check(): void {
    if (this.closed) return;
    const now = Date.now();
    for (const p of this.pending.values()) {
      if (now - p.since > this.hangMs) {
        this.log.error({ policy: this.init.name, hangMs: this.hangMs }, 'policy worker is stuck; restarting it');
        const old = this.worker;
        this.failAll(new Error('policy worker was stuck and restarted'));
        this.restarts++;
        void old.terminate();
        this.spawn().catch((err: Error) => this.log.error({ policy: this.init.name, err: err.message }, 'policy worker failed to restart'));
        return;
      }
    }
  }

  call(stage: CallStage, input: unknown): Promise<unknown> {
    const seq = ++this.seq;
    return new Promise((resolve, reject) => {
      this.pending.set(seq, { resolve, reject, since: Date.now() });
      this.worker.postMessage({ type: 'call', seq, stage, input } satisfies ToWorker);
    });
  }

  /** The policy object the pipeline calls. */
  policy(): Policy {
    const p: Policy = {
      committed: (event: NostrEvent) => this.worker.postMessage({ type: 'committed', event } satisfies ToWorker),
      close: () => this.close(),
    };
    for (const s of this.stages) if (s !== 'broadcast' && s !== 'committed') (p as Record<string, unknown>)[s] = (input: unknown) => this.call(s as CallStage, input);
    if (this.stages.includes('broadcast')) this.log.warn({ policy: this.init.name }, 'broadcast is synchronous and cannot run in a worker; it is ignored');
    return p;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.watchdog);
    this.failAll(new Error('policy worker closed'));
    await this.worker?.terminate();
  }
}
