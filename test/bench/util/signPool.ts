import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startTsWorker } from '../../../relay/util/tsWorker.ts';
import type { CorpusSpec } from './corpus.ts';

/** Signs a corpus range on worker threads (one per core), before any clock starts. */
export class SignPool {
  private readonly workers: Worker[];

  constructor(threads = availableParallelism()) {
    this.workers = Array.from({ length: Math.max(1, threads) }, () => startTsWorker(new URL('./signWorker.ts', import.meta.url)));
  }

  /** Event JSON strings for events [from, to) of the set, in order. */
  async sign(spec: CorpusSpec, from: number, to: number): Promise<string[]> {
    const n = this.workers.length;
    const per = Math.ceil((to - from) / n);
    const parts = await Promise.all(
      this.workers.map((w, k) => {
        const a = from + k * per, b = Math.min(to, a + per);
        if (a >= b) return Promise.resolve('');
        return new Promise<string>((resolve, reject) => {
          // both listeners go once either fires: a pool signs many ranges
          const done = (text: string) => (w.off('error', fail), resolve(text));
          const fail = (err: Error) => (w.off('message', done), reject(err));
          w.once('message', done);
          w.once('error', fail);
          w.postMessage({ spec, from: a, to: b });
        });
      }),
    );
    return parts.filter((p) => p.length > 0).flatMap((p) => p.split('\n'));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
