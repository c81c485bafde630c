/** Caps of one in-memory index: entries and (estimated) bytes. */
export interface Caps {
  maxCount: number;
  maxBytes: number;
}

/** What a budget needs of an entry to choose the oldest. */
export interface Aged<K> {
  key: K;
  /** Unix seconds (or any clock that only grows): the smallest goes first. */
  at: number;
  bytes: number;
  count?: number;
}

/**
 * The bookkeeping of an index bounded in count and bytes. The index reports what it adds and
 * removes; past either cap it asks `victims` for its oldest entries, enough to get back to 90%
 * of both caps (one sort per tenth of the cap: amortised O(log n) per entry). `floor` keeps the
 * newest time shed so far: a full index turns away entries older than what it already let go,
 * so loading newest-first, or a late old event, cannot push out newer ones.
 */
export class Budget {
  count = 0;
  bytes = 0;
  floor = -Infinity;

  constructor(readonly caps: Caps) {}

  add(bytes: number, count = 1): void {
    this.bytes += bytes;
    this.count += count;
  }

  remove(bytes: number, count = 1): void {
    this.bytes -= bytes;
    this.count -= count;
  }

  get over(): boolean {
    return this.count > this.caps.maxCount || this.bytes > this.caps.maxBytes;
  }

  /** Whether an entry of this time is young enough to be kept. */
  admits(at: number): boolean {
    return at >= this.floor;
  }

  /** The oldest entries to drop (oldest first); raises `floor` to the newest of them. */
  victims<K>(entries: Iterable<Aged<K>>): K[] {
    const keepCount = Math.floor(this.caps.maxCount * 0.9);
    const keepBytes = this.caps.maxBytes * 0.9;
    const sorted = [...entries].sort((a, b) => a.at - b.at);
    const out: K[] = [];
    let count = this.count;
    let bytes = this.bytes;
    for (const e of sorted) {
      if (count <= keepCount && bytes <= keepBytes) break;
      out.push(e.key);
      count -= e.count ?? 1;
      bytes -= e.bytes;
      this.floor = Math.max(this.floor, e.at);
    }
    return out;
  }
}

/** Estimated heap bytes of a string (V8: a 16-byte header, one or two bytes a character). */
export function stringBytes(s: string): number {
  // eslint-disable-next-line no-control-regex
  return 16 + (/[^\u0000-\u00ff]/.test(s) ? 2 : 1) * s.length;
}

/** Estimated bytes of a typed array with its buffer (the objects around the data included). */
export function typedBytes(a: ArrayBufferView | undefined): number {
  return a ? 160 + a.byteLength : 0;
}
