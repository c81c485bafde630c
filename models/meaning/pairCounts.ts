/**
 * Counts of (i, j) word pairs in an open-addressing hash table of typed arrays: tens of
 * millions of increments without a Map entry (and its ~50 bytes) per pair. Keys pack i and j
 * into one 32-bit number, so a vocabulary holds at most 65,535 words.
 */
export class PairCounts {
  private keys: Uint32Array;
  private values: Float32Array;
  private used = 0;

  constructor(capacity = 1 << 16) {
    let c = 1;
    while (c < capacity) c <<= 1;
    this.keys = new Uint32Array(c).fill(EMPTY);
    this.values = new Float32Array(c);
  }

  get size(): number {
    return this.used;
  }

  add(i: number, j: number, w: number): void {
    const key = ((i << 16) | j) >>> 0;
    const mask = this.keys.length - 1;
    let h = Math.imul(key, 0x9e3779b1) >>> 0 & mask;
    for (;;) {
      const k = this.keys[h]!;
      if (k === key) {
        this.values[h]! += w;
        return;
      }
      if (k === EMPTY) break;
      h = (h + 1) & mask;
    }
    this.keys[h] = key;
    this.values[h] = w;
    if (++this.used * 2 > this.keys.length) this.grow();
  }

  /** Every pair with its count, in no particular order. */
  *entries(): Generator<[number, number, number]> {
    for (let h = 0; h < this.keys.length; h++) {
      const k = this.keys[h]!;
      if (k !== EMPTY) yield [k >>> 16, k & 0xffff, this.values[h]!];
    }
  }

  private grow(): void {
    const { keys, values } = this;
    this.keys = new Uint32Array(keys.length * 2).fill(EMPTY);
    this.values = new Float32Array(keys.length * 2);
    this.used = 0;
    for (let h = 0; h < keys.length; h++) if (keys[h] !== EMPTY) this.add(keys[h]! >>> 16, keys[h]! & 0xffff, values[h]!);
  }
}

/** No pair packs to this: it would be word 65535 with itself, and vocabularies stop at 65,535 words. */
const EMPTY = 0xffffffff;
