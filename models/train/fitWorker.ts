import type { ModelInfo } from '../types.ts';
import type { Example } from './dataset.ts';
import type { HeadFile } from './head.ts';
import { trainKnn } from './knn.ts';
import { trainLogistic, type LogisticOptions } from './logistic.ts';

export interface FitTask {
  kind: 'logistic' | 'knn';
  examples: Example[];
  labels: string[];
  base: ModelInfo;
  logistic?: LogisticOptions;
  knnK?: number;
}

/** Runs in a worker thread: fitting a head is seconds to minutes of CPU the relay's event loop must not wait for. */
export default function fit(t: FitTask): HeadFile {
  const head = t.kind === 'knn' ? trainKnn(t.examples, t.labels, t.base, { k: t.knnK ?? 10 }) : trainLogistic(t.examples, t.labels, t.base, t.logistic);
  return head.toFile();
}
