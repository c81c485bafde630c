import type { Work } from '../store/work.ts';

/**
 * Fair reads. Stored-event reads (REQ, COUNT, NEG-OPEN) run on the main thread in slices of at
 * most `sliceMs`: a read that is not done by then waits for its next turn while the event loop
 * serves other connections' frames. Each connection has one read running at a time (the next
 * ones queue behind it, in order), and the connections with a read under way take turns, one
 * slice per event-loop turn. So a cheap read answers at once, on arrival, whatever else runs,
 * and an expensive one delays the others by one slice at most.
 */

interface Task {
  owner: object;
  start: () => Work<unknown>;
  work?: Work<unknown>;
  sliceMs: number;
  cancelled: () => boolean;
  settle: (value: unknown) => void;
  fail: (err: unknown) => void;
}

/** Reads queued behind the running one, per connection (present while one runs). */
const queues = new WeakMap<object, Task[]>();
/** Reads started and not done, in turn order. */
const turns: Task[] = [];
let scheduled = false;

export interface ReadOptions {
  /** Longest time on the main thread before the read lets others in (limits.querySliceMs). */
  sliceMs: number;
  /** Checked before every step: true stops the read (its cursors are released) and it resolves to undefined. */
  cancelled: () => boolean;
}

/**
 * Runs a read for a connection: at once when the connection has none running (its first slice
 * runs before this returns), else after the ones before it. Resolves to its result, or undefined
 * if it was cancelled.
 */
export function runRead<T>(owner: object, start: () => Work<T>, opts: ReadOptions): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    const task: Task = { owner, start, sliceMs: opts.sliceMs, cancelled: opts.cancelled, settle: resolve as (v: unknown) => void, fail: reject };
    const queue = queues.get(owner);
    if (queue) return void queue.push(task);
    queues.set(owner, []);
    if (!step(task)) wait(task);
  });
}

/** Reads past their first slice, waiting for their next turn (relay-wide). */
export function readsWaiting(): number {
  return turns.length;
}

function wait(task: Task): void {
  turns.push(task);
  if (!scheduled) {
    scheduled = true;
    setImmediate(turn);
  }
}

/** One slice of the read whose turn it is; then the event loop polls sockets before the next. */
function turn(): void {
  scheduled = false;
  const task = turns.shift();
  if (task && !step(task)) turns.push(task);
  if (turns.length > 0 && !scheduled) {
    scheduled = true;
    setImmediate(turn);
  }
}

/** Runs the task for one slice; true when it is over (done, cancelled or failed). */
function step(task: Task): boolean {
  const deadline = performance.now() + task.sliceMs;
  try {
    for (;;) {
      if (task.cancelled()) {
        task.work?.return(undefined);
        return end(task, () => task.settle(undefined));
      }
      task.work ??= task.start();
      const r = task.work.next();
      if (r.done) return end(task, () => task.settle(r.value));
      if (performance.now() >= deadline) return false;
    }
  } catch (err) {
    return end(task, () => task.fail(err));
  }
}

/** Settles a task and lets the connection's next read take its place in the turns. */
function end(task: Task, settle: () => void): true {
  settle();
  const queue = queues.get(task.owner);
  const next = queue?.shift();
  if (next) wait(next);
  else queues.delete(task.owner);
  return true;
}
