import { runInWorker } from '../../relay/util/tsPool.ts';
import type { HeadFile, Head } from './head.ts';
import { KnnHead } from './knn.ts';
import { LogisticHead } from './logistic.ts';
import type { FitTask } from './fitWorker.ts';

/** Fits a head in a worker thread started for this one task (the caller's thread stays free). */
export async function fitHeadInWorker(task: FitTask): Promise<Head> {
  const file = await runInWorker<FitTask, HeadFile>(new URL('./fitWorker.ts', import.meta.url), task);
  return file.kind === 'knn' ? KnnHead.fromFile(file) : LogisticHead.fromFile(file);
}
