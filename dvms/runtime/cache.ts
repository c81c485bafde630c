/**
 * Results reused for a short time: a client that polls, or pages through, a feed does not make
 * us rank it again. Keyed by a string the caller builds, e.g. (algorithm, params, user).
 */
export class ResultCache<T> {
  private readonly entries = new Map<string, { at: number; value: T }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 1000,
  ) {}

  get(key: string, now = Date.now()): T | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    if (now - e.at > this.ttlMs) {
      this.entries.delete(key);
      return undefined;
    }
    return e.value;
  }

  set(key: string, value: T, now = Date.now()): void {
    if (this.ttlMs <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { at: now, value });
    // Map keeps insertion order: the first entries are the oldest
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Computes once per key and TTL; concurrent callers for one key share the computation. */
  async through(key: string, compute: () => Promise<T>): Promise<T> {
    const hit = this.get(key);
    if (hit !== undefined) return hit;
    const pending = this.pending.get(key);
    if (pending) return pending;
    const p = compute().finally(() => this.pending.delete(key));
    this.pending.set(key, p);
    const value = await p;
    this.set(key, value);
    return value;
  }

  private readonly pending = new Map<string, Promise<T>>();

  clear(): void {
    this.entries.clear();
  }
}
