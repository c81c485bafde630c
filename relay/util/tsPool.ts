import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import { bundleModule } from './bundle.mjs';

const ENTRY = fileURLToPath(new URL('./piscinaEntry.mjs', import.meta.url));

/**
 * A piscina pool whose tasks run the default export of a TypeScript module: its plain-JS bundle
 * (bundle.mjs), or, where no bundle can be written (a read-only install), the module itself
 * through tsx. Threads are never retired unless `idleThreads` says so: pools here hold state worth
 * keeping (loaded verifiers and models).
 */
export async function createTsPool<Task, Result>(module: URL, threads: number, opts: { idleThreads?: number } = {}): Promise<Piscina<Task, Result>> {
  const bundle = await bundleModule(module).catch(() => undefined);
  const scales = opts.idleThreads !== undefined && opts.idleThreads < threads;
  return new Piscina<Task, Result>({
    filename: bundle ?? ENTRY,
    workerData: bundle ? undefined : { entry: module.href },
    // `idleThreads`: threads beyond these start when tasks queue and stop after a minute without work
    minThreads: scales ? opts.idleThreads : threads,
    maxThreads: threads,
    idleTimeout: scales ? 60_000 : Infinity,
    // its run and wait time histograms (two HdrHistograms, ~0.8 MB per pool) are read by nothing here
    recordTiming: false,
  });
}

/** One task in a worker thread started for it and stopped after it (long CPU work off the caller's event loop). */
export async function runInWorker<Task, Result>(module: URL, task: Task): Promise<Result> {
  const pool = await createTsPool<Task, Result>(module, 1);
  try {
    return await pool.run(task);
  } finally {
    await pool.destroy();
  }
}
