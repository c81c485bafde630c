/**
 * Exact nearest-neighbour search over the embeddings of a time window of events. Vectors are
 * L2-normalised, so cosine similarity is a dot product; rows live in one contiguous Float32Array
 * and a bounded min-heap keeps the top k. (An ANN index would only pay at sizes the benchmark
 * has not shown we reach.)
 */
export interface VectorHit {
  id: string;
  score: number;
  createdAt: number;
}

export interface SearchOptions {
  k: number;
  /** Only events with createdAt >= since / <= until. */
  since?: number;
  until?: number;
  /** Ids to leave out (the query's own event, already-seen posts). */
  exclude?: ReadonlySet<string>;
  /** Hits below this similarity are dropped. */
  minScore?: number;
}

export class VectorIndex {
  private data: Float32Array;
  private ids: string[] = [];
  private times: number[] = [];
  private readonly slots = new Map<string, number>();
  private readonly initialRows: number;

  /**
   * `maxRows` bounds the index (in bytes too: a row is dims × 4 bytes): past it the oldest
   * tenth (by createdAt) goes. The buffer doubles as rows come and halves when a quarter is used.
   */
  constructor(
    readonly dims: number,
    initialCapacity = 1024,
    readonly maxRows = Infinity,
  ) {
    this.initialRows = Math.max(1, initialCapacity);
    this.data = new Float32Array(dims * this.initialRows);
  }

  get size(): number {
    return this.ids.length;
  }

  has(id: string): boolean {
    return this.slots.has(id);
  }

  /** Adds a vector, or replaces the one stored for this id. */
  add(id: string, createdAt: number, vector: Float32Array): void {
    if (vector.length !== this.dims) throw new Error(`vector has ${vector.length} dimensions, index has ${this.dims}`);
    let slot = this.slots.get(id);
    if (slot === undefined) {
      slot = this.ids.length;
      if ((slot + 1) * this.dims > this.data.length) {
        const grown = new Float32Array(this.data.length * 2);
        grown.set(this.data);
        this.data = grown;
      }
      this.ids.push(id);
      this.times.push(createdAt);
      this.slots.set(id, slot);
    }
    this.times[slot] = createdAt;
    this.data.set(vector, slot * this.dims);
    if (this.ids.length > this.maxRows) {
      const oldest = this.ids.map((id, i) => ({ id, t: this.times[i]! })).sort((a, b) => a.t - b.t);
      for (const { id } of oldest.slice(0, this.ids.length - Math.floor(this.maxRows * 0.9))) this.remove(id);
    }
  }

  remove(id: string): boolean {
    const slot = this.slots.get(id);
    if (slot === undefined) return false;
    const last = this.ids.length - 1;
    if (slot !== last) {
      // move the last row into the hole
      this.data.copyWithin(slot * this.dims, last * this.dims, (last + 1) * this.dims);
      this.ids[slot] = this.ids[last]!;
      this.times[slot] = this.times[last]!;
      this.slots.set(this.ids[slot]!, slot);
    }
    this.ids.pop();
    this.times.pop();
    this.slots.delete(id);
    const rows = this.data.length / this.dims;
    if (rows > this.initialRows && this.ids.length <= rows / 4) this.data = this.data.slice(0, (rows / 2) * this.dims);
    return true;
  }

  /** Bytes of the vector buffer (its capacity, not only the rows in use). */
  get bytes(): number {
    return this.data.byteLength;
  }

  /** Drops every vector older than `createdAt` (slides the window); returns how many. */
  pruneBefore(createdAt: number): number {
    const old = this.ids.filter((_, i) => this.times[i]! < createdAt);
    for (const id of old) this.remove(id);
    return old.length;
  }

  /** Exact top k, synchronously: about 0.7 ms per 1,000 vectors of 384 dims (see the models benchmark). */
  search(query: Float32Array, options: SearchOptions): VectorHit[] {
    const heap = new TopK(options.k);
    this.scan(query, options, heap, 0, this.ids.length);
    return this.hits(heap);
  }

  /**
   * The same search, scanning `chunkRows` rows at a time and yielding to the event loop in
   * between, so a large window never stalls the relay. Vectors added or removed meanwhile may
   * or may not be seen; each id is reported once.
   */
  async searchAsync(query: Float32Array, options: SearchOptions & { chunkRows?: number }): Promise<VectorHit[]> {
    const chunk = options.chunkRows ?? 16_384;
    const heap = new TopK(options.k + 8); // a little slack for rows seen twice after a concurrent remove
    for (let from = 0; from < this.ids.length; from += chunk) {
      this.scan(query, options, heap, from, Math.min(from + chunk, this.ids.length));
      if (from + chunk < this.ids.length) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    const seen = new Set<string>();
    return this.hits(heap)
      .filter((h) => this.slots.has(h.id) && !seen.has(h.id) && seen.add(h.id))
      .slice(0, options.k);
  }

  private scan(query: Float32Array, options: SearchOptions, heap: TopK, from: number, to: number): void {
    if (query.length !== this.dims) throw new Error(`query has ${query.length} dimensions, index has ${this.dims}`);
    const { since = -Infinity, until = Infinity, exclude, minScore = -Infinity } = options;
    const d = this.dims;
    const data = this.data;
    for (let row = from; row < to; row++) {
      const t = this.times[row]!;
      if (t < since || t > until) continue;
      let dot = 0;
      const base = row * d;
      for (let j = 0; j < d; j++) dot += data[base + j]! * query[j]!;
      if (dot < minScore || !heap.wouldTake(dot)) continue;
      if (exclude?.has(this.ids[row]!)) continue;
      heap.push(dot, row, this.ids[row]!, t);
    }
  }

  private hits(heap: TopK): VectorHit[] {
    return heap.sorted().map(({ score, id, createdAt }) => ({ id, score, createdAt }));
  }
}

/** Top k of a plain list of normalised vectors: indices and scores, best first. */
export function topK(query: Float32Array, vectors: readonly Float32Array[], k: number): { index: number; score: number }[] {
  const heap = new TopK(k);
  vectors.forEach((v, index) => {
    let dot = 0;
    for (let j = 0; j < query.length; j++) dot += v[j]! * query[j]!;
    if (heap.wouldTake(dot)) heap.push(dot, index, '', 0);
  });
  return heap.sorted().map(({ index, score }) => ({ index, score }));
}

/**
 * A bounded min-heap of (score, index): the root is the worst of the best k. The id and time
 * travel with the entry so results stay right even if rows move (async search).
 */
class TopK {
  private readonly scores: number[] = [];
  private readonly indices: number[] = [];
  private readonly ids: string[] = [];
  private readonly times: number[] = [];

  constructor(private readonly k: number) {}

  wouldTake(score: number): boolean {
    return this.k > 0 && (this.scores.length < this.k || score > this.scores[0]!);
  }

  push(score: number, index: number, id: string, createdAt: number): void {
    const full = this.scores.length === this.k;
    const at = full ? 0 : this.scores.length; // full: replace the root (the worst kept)
    this.scores[at] = score;
    this.indices[at] = index;
    this.ids[at] = id;
    this.times[at] = createdAt;
    if (full) this.down(0);
    else this.up(at);
  }

  sorted(): { index: number; score: number; id: string; createdAt: number }[] {
    return this.scores
      .map((score, i) => ({ score, index: this.indices[i]!, id: this.ids[i]!, createdAt: this.times[i]! }))
      .sort((a, b) => b.score - a.score || a.index - b.index);
  }

  private swap(a: number, b: number): void {
    [this.scores[a], this.scores[b]] = [this.scores[b]!, this.scores[a]!];
    [this.indices[a], this.indices[b]] = [this.indices[b]!, this.indices[a]!];
    [this.ids[a], this.ids[b]] = [this.ids[b]!, this.ids[a]!];
    [this.times[a], this.times[b]] = [this.times[b]!, this.times[a]!];
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.scores[parent]! <= this.scores[i]!) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.scores.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < n && this.scores[l]! < this.scores[m]!) m = l;
      if (r < n && this.scores[r]! < this.scores[m]!) m = r;
      if (m === i) return;
      this.swap(i, m);
      i = m;
    }
  }
}
