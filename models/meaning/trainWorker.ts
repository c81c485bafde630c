import { saveMeaning } from './file.ts';
import { trainMeaning, type MeaningTrainOptions } from './train.ts';

export interface MeaningTask {
  docs: string[][];
  options: Omit<MeaningTrainOptions, 'onProgress'>;
  file: string;
}

/** Runs in a worker thread: the factorisation takes seconds of CPU that the relay's event loop must not wait for. */
export default function train(task: MeaningTask): { version: string; stats: ReturnType<typeof trainMeaning>['stats'] } {
  const m = saveMeaning(task.file, trainMeaning(() => task.docs, task.options));
  return { version: m.version, stats: m.stats };
}
