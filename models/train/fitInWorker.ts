import { createTsPool } from '../../relay/util/tsPool.ts';
import type { HeadFile, Head } from './head.ts';
import { KnnHead } from './knn.ts';
import { LogisticHead } from './logistic.ts';
import type { FitTask } from './fitWorker.ts';

/** Fits a head in a worker thread started for this one task (the caller's thread stays free). */
export async function fitHeadInWorker(task: FitTask): Promise<Head> {
  const pool = createTsPool<FitTask, HeadFile>(new URL('./fitWorker.ts', import.meta.url), 1);
  try {
    const file = await pool.run(task);
    return file.kind === 'knn' ? KnnHead.fromFile(file) : LogisticHead.fromFile(file);
  } finally {
    await pool.destroy();
  }
}
