/**
 * Lets a process exit while the writer thread (writerThread.ts) is inside a transaction.
 *
 * At exit Node stops worker threads by interrupting their JavaScript and then waits for them.
 * Interrupted inside lmdb-js's `transactionSync`, the thread never releases its environment's
 * write lock, and its own cleanup (lmdb-js 3.5: closeEnv → cleanupStrayTxns) then waits on that
 * same lock for good: the process hangs instead of ending. So at exit the relay's thread shuts the
 * gate and waits until the thread is out of its transaction; the thread starts one only through an
 * open gate. The two share one SharedArrayBuffer: [busy, shut].
 */
const BUSY = 0;
const SHUT = 1;

export class WriteGate {
  private readonly cells: Int32Array;

  constructor(readonly buffer = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT)) {
    this.cells = new Int32Array(buffer);
  }

  /** The thread's side: runs `body` unless the gate is shut; says whether it ran. */
  pass(body: () => void): boolean {
    // busy first, then look: the relay's thread shuts first, then looks (so one of them sees the other)
    Atomics.store(this.cells, BUSY, 1);
    try {
      if (Atomics.load(this.cells, SHUT) === 1) return false;
      body();
      return true;
    } finally {
      Atomics.store(this.cells, BUSY, 0);
      Atomics.notify(this.cells, BUSY);
    }
  }

  /** The relay's side, at exit: no transaction starts after this and none is running when it returns (or `timeoutMs` passed). */
  shut(timeoutMs: number): void {
    Atomics.store(this.cells, SHUT, 1);
    const deadline = Date.now() + timeoutMs;
    while (Atomics.load(this.cells, BUSY) === 1) {
      const left = deadline - Date.now();
      if (left <= 0) return;
      Atomics.wait(this.cells, BUSY, 1, left);
    }
  }
}

/** The gates of the writers open in this process; one exit hook shuts them all. */
const open = new Set<WriteGate>();
let hooked = false;

/** A write lasts milliseconds; this bounds a disk that stopped answering, after which the process may hang as before. */
const EXIT_WAIT_MS = 30_000;

export function shutAtExit(gate: WriteGate): () => void {
  open.add(gate);
  if (!hooked) {
    hooked = true;
    // Before lmdb-js's own exit hook, which closes this thread's handles on the environments.
    process.prependListener('exit', () => {
      for (const g of open) g.shut(EXIT_WAIT_MS);
    });
  }
  return () => open.delete(gate);
}
