/** Messages between the engine and a policy worker (structured-cloned). */
export interface WorkerInit {
  file: string;
  name: string;
  dir: string;
  options: Record<string, unknown>;
  rulebookPath: string;
}

export type ToWorker =
  | { type: 'call'; seq: number; stage: 'connection' | 'write' | 'read' | 'auth'; input: unknown }
  | { type: 'committed'; event: unknown };

export type FromWorker =
  | { type: 'ready'; stages: string[] }
  | { type: 'failed'; error: string }
  | { type: 'answer'; seq: number; decision: unknown }
  | { type: 'error'; seq: number; error: string }
  | { type: 'log'; level: 'info' | 'warn' | 'error'; msg: string };
