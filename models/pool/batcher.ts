/**
 * Request batching: texts submitted by concurrent callers within `maxWaitMs` (or until
 * `batchSize` texts are waiting) are sorted by length, cut into batches of at most `batchSize`
 * and run together (similar lengths per batch: less padding for transformer models); each
 * caller gets its own slice of the results back, in its order.
 */
export interface BatcherOptions {
  batchSize: number;
  /** How long the first waiting text waits for company; 0 = until the current I/O phase ends. */
  maxWaitMs: number;
}

interface Pending<R> {
  texts: readonly string[];
  resolve(results: R[]): void;
  reject(err: unknown): void;
}

export class Batcher<R> {
  private pending: Pending<R>[] = [];
  private waiting = 0;
  private timer: NodeJS.Timeout | NodeJS.Immediate | undefined;

  constructor(
    private readonly runBatch: (texts: string[]) => Promise<R[]>,
    private readonly options: BatcherOptions,
  ) {}

  submit(texts: readonly string[]): Promise<R[]> {
    if (texts.length === 0) return Promise.resolve([]);
    return new Promise<R[]>((resolve, reject) => {
      this.pending.push({ texts, resolve, reject });
      this.waiting += texts.length;
      if (this.waiting >= this.options.batchSize) this.flush();
      else this.timer ??= this.options.maxWaitMs > 0 ? setTimeout(() => this.flush(), this.options.maxWaitMs) : setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer as NodeJS.Timeout), clearImmediate(this.timer as NodeJS.Immediate);
    this.timer = undefined;
    const callers = this.pending;
    this.pending = [];
    this.waiting = 0;
    const all = callers.flatMap((c) => c.texts);
    const order = all.map((_, i) => i).sort((a, b) => all[a]!.length - all[b]!.length); // stable
    const batches: Promise<R[]>[] = [];
    for (let i = 0; i < order.length; i += this.options.batchSize) {
      batches.push(this.runBatch(order.slice(i, i + this.options.batchSize).map((j) => all[j]!)));
    }
    Promise.all(batches).then(
      (parts) => {
        const sorted = parts.flat();
        const results = new Array<R>(all.length);
        order.forEach((j, i) => (results[j] = sorted[i]!));
        let at = 0;
        for (const c of callers) {
          c.resolve(results.slice(at, at + c.texts.length));
          at += c.texts.length;
        }
      },
      (err: unknown) => callers.forEach((c) => c.reject(err)),
    );
  }
}
