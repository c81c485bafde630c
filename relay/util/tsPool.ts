import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';

const ENTRY = fileURLToPath(new URL('./piscinaEntry.mjs', import.meta.url));

/**
 * A piscina pool whose tasks run the default export of a TypeScript module. Threads are never
 * retired: pools here hold state worth keeping (loaded verifiers and models).
 */
export function createTsPool<Task, Result>(module: URL, threads: number): Piscina<Task, Result> {
  return new Piscina<Task, Result>({
    filename: ENTRY,
    workerData: { entry: module.href },
    minThreads: threads,
    maxThreads: threads,
    idleTimeout: Infinity,
  });
}

/** One task in a worker thread started for it and stopped after it (long CPU work off the caller's event loop). */
export async function runInWorker<Task, Result>(module: URL, task: Task): Promise<Result> {
  const pool = createTsPool<Task, Result>(module, 1);
  try {
    return await pool.run(task);
  } finally {
    await pool.destroy();
  }
}
