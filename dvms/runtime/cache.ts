import { LRUCache } from 'lru-cache';

export interface ResultCacheOptions<T> {
  /** How long a result is reused; 0 turns the cache off. */
  ttlMs: number;
  maxEntries: number;
  /** Most estimated bytes of all the results kept; 0 turns the cache off. */
  maxBytes: number;
  /** Estimated heap bytes of one result. */
  sizeOf(value: T): number;
}

/**
 * Results reused for a short time: a client that polls, or pages through, a feed does not make
 * us rank it again. Keyed by a string the caller builds, e.g. (algorithm, params, user);
 * bounded in entries and in bytes (the least recently used go first).
 */
export class ResultCache<T extends object> {
  private readonly cache?: LRUCache<string, T, () => Promise<T>>;

  constructor(o: ResultCacheOptions<T>) {
    if (o.ttlMs <= 0 || o.maxBytes < 1) return;
    this.cache = new LRUCache<string, T, () => Promise<T>>({
      ttl: o.ttlMs,
      max: o.maxEntries,
      maxSize: Math.floor(o.maxBytes),
      sizeCalculation: (v) => Math.max(1, Math.ceil(o.sizeOf(v))),
      fetchMethod: (_key, _stale, { context }) => context(),
    });
  }

  get(key: string): T | undefined {
    return this.cache?.get(key);
  }

  set(key: string, value: T): void {
    this.cache?.set(key, value);
  }

  /** Computes once per key and TTL; concurrent callers for one key share the computation. */
  async through(key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.cache) return compute();
    const value = await this.cache.fetch(key, { context: compute });
    // undefined only if compute gave undefined, which T excludes
    return value!;
  }

  clear(): void {
    this.cache?.clear();
  }

  /** Results kept, and their estimated bytes. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.cache?.size ?? 0, bytes: this.cache?.calculatedSize ?? 0 };
  }
}
