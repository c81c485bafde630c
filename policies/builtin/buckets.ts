const MAX_BUCKETS = 500_000;

/**
 * Token buckets keyed by IP or pubkey. A key's bucket refills at `perMinute` up to `burst`;
 * full buckets are dropped in a sweep so memory follows the number of active clients.
 */
export class TokenBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly perMs: number;
  private lastSweep = 0;

  constructor(
    perMinute: number,
    private readonly burst: number,
  ) {
    this.perMs = perMinute / 60_000;
  }

  /** Takes one token; false when the bucket is empty. */
  take(key: string, now = Date.now()): boolean {
    if (now - this.lastSweep > 60_000 || this.buckets.size > MAX_BUCKETS) {
      this.sweep(now);
      // Still too many (an attack from many addresses): forget them all rather than grow.
      if (this.buckets.size > MAX_BUCKETS) this.buckets.clear();
    }
    const b = this.buckets.get(key);
    if (!b) {
      this.buckets.set(key, { tokens: this.burst - 1, at: now });
      return true;
    }
    b.tokens = Math.min(this.burst, b.tokens + (now - b.at) * this.perMs);
    b.at = now;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }

  get size(): number {
    return this.buckets.size;
  }

  private sweep(now: number): void {
    this.lastSweep = now;
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) * this.perMs >= this.burst) this.buckets.delete(k);
  }
}
