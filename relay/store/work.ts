/**
 * Reads as resumable work. A read is a generator that yields PAUSE every few records it
 * examines, so a scheduler can stop it between two records, serve other connections, and resume
 * it later (protocol/readQueue.ts); synchronous callers run it to the end (`finish`).
 *
 * The cost model, in "records examined": each index entry or record read costs 1, and a record
 * whose JSON must be decoded (tags the index did not cover, search words) costs DECODE_COST more,
 * about what it takes in time next to a plain read. A Meter adds the cost up against a budget.
 */
export const PAUSE: unique symbol = Symbol('pause');
export type Pause = typeof PAUSE;

/** A read that pauses now and then and returns T. */
export type Work<T> = Generator<Pause, T, void>;

/** Extra cost of decoding a record's JSON to check tags or search words. */
export const DECODE_COST = 10;
/** Work between two pause points: small enough that a slice ends close to its deadline. */
const PAUSE_EVERY = 64;

export class Meter {
  spent = 0;
  private pauseAt = PAUSE_EVERY;

  /** `budget`: most units to spend; `decodeCost`: the extra charge of a decoded record. */
  constructor(
    readonly budget: number = Infinity,
    readonly decodeCost: number = DECODE_COST,
  ) {}

  /** Past the budget: the read stops, incomplete. */
  get over(): boolean {
    return this.spent > this.budget;
  }

  charge(units: number): void {
    this.spent += units;
  }

  /** True at a pause point, or once over budget: the caller then yields PAUSE, or stops when `over`. */
  due(): boolean {
    if (this.spent > this.budget) return true;
    if (this.spent < this.pauseAt) return false;
    this.pauseAt = this.spent + PAUSE_EVERY;
    return true;
  }
}

/** Runs a read to its end without pausing. */
export function finish<T>(work: Work<T>): T {
  for (;;) {
    const r = work.next();
    if (r.done) return r.value;
  }
}

/** Drops the pause points of a stream of records (synchronous readers). */
export function* withoutPauses<T>(items: Generator<T | Pause, void, void>): Generator<T, void, void> {
  for (const x of items) if (x !== PAUSE) yield x;
}

/**
 * Runs a read in slices of `sliceMs`, letting the event loop run between them (for callers
 * outside the protocol's read queue, such as the sync client).
 */
export async function drive<T>(work: Work<T>, sliceMs = 10): Promise<T> {
  for (;;) {
    const end = performance.now() + sliceMs;
    for (;;) {
      const r = work.next();
      if (r.done) return r.value;
      if (performance.now() >= end) break;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}
