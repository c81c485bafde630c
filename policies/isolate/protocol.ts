/** Messages between the engine and a policy worker (structured-cloned). */
export interface WorkerInit {
  file: string;
  name: string;
  dir: string;
  options: Record<string, unknown>;
  rulebookPath: string;
  /** The relay's log level: the worker drops what the relay would drop anyway. */
  logLevel: string;
}

export type CallStage = 'connection' | 'write' | 'read' | 'auth';

export interface Call {
  seq: number;
  stage: CallStage;
  input: unknown;
}

export type Answer = { seq: number; decision: unknown } | { seq: number; error: string };

/** Calls and answers travel in batches: one message per turn of the event loop, not per event. */
export type ToWorker =
  | { type: 'calls'; calls: Call[] }
  | { type: 'committed'; event: unknown }
  /** Answered at once by a worker whose thread is free: how a stuck one is told from a slow call. */
  | { type: 'ping' };

export type FromWorker =
  | { type: 'ready'; stages: CallStage[]; committed: boolean }
  | { type: 'failed'; error: string }
  | { type: 'answers'; answers: Answer[] }
  | { type: 'pong' }
  /** One pino line of the policy's ctx.log, logged again on the main thread under the step's logger. */
  | { type: 'log'; line: string };
