/**
 * The wire format of a verification batch: one transferable buffer instead of structured-cloned
 * strings. Per item: hash input length (u32 LE), id (32), pubkey (32), sig (64), hash input (UTF-8).
 * Hex is decoded once, on the main thread, straight into the buffer; the worker reads views.
 */
export const FIXED = 4 + 32 + 32 + 64;

/** Per item: 0 valid, 1 id does not match the content, 2 bad signature. */
export const VALID = 0;
export const BAD_ID = 1;
export const BAD_SIG = 2;

export class BatchWriter {
  private buf: Buffer;
  private end = 0;
  /** Where each item ends: slice() cuts at item boundaries. */
  private readonly ends: number[] = [];

  constructor(capacity = 64 * 1024) {
    this.buf = Buffer.allocUnsafe(capacity);
  }

  get count(): number {
    return this.ends.length;
  }

  /** False (nothing added) when a field is not hex of the right length: that can never verify. */
  add(hashInput: string, id: string, pubkey: string, sig: string): boolean {
    // UTF-8 is at most 3 bytes per UTF-16 unit; grow first so the write below cannot truncate.
    this.reserve(FIXED + hashInput.length * 3);
    const b = this.buf, at = this.end;
    // A short write would leave an earlier item's bytes in place, so it must never be sent.
    if (id.length !== 64 || b.write(id, at + 4, 32, 'hex') !== 32) return false;
    if (pubkey.length !== 64 || b.write(pubkey, at + 36, 32, 'hex') !== 32) return false;
    if (sig.length !== 128 || b.write(sig, at + 68, 64, 'hex') !== 64) return false;
    const n = b.write(hashInput, at + FIXED, 'utf8');
    b.writeUInt32LE(n, at);
    this.end = at + FIXED + n;
    this.ends.push(this.end);
    return true;
  }

  /** Items [from, to) as an ArrayBuffer of their own, ready to transfer. */
  slice(from: number, to: number): ArrayBuffer {
    const start = from === 0 ? 0 : this.ends[from - 1]!, stop = this.ends[to - 1]!;
    const out = new ArrayBuffer(stop - start);
    new Uint8Array(out).set(this.buf.subarray(start, stop));
    return out;
  }

  clear(): void {
    this.end = 0;
    this.ends.length = 0;
  }

  private reserve(n: number): void {
    if (this.end + n <= this.buf.length) return;
    const bigger = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.end + n));
    this.buf.copy(bigger, 0, 0, this.end);
    this.buf = bigger;
  }
}

/** Calls `each(hashInput, id, pubkey, sig)` with views into the batch, in order. */
export function readBatch(batch: ArrayBuffer, each: (hashInput: Uint8Array, id: Uint8Array, pubkey: Uint8Array, sig: Uint8Array) => void): void {
  const b = new Uint8Array(batch);
  const view = new DataView(batch);
  for (let at = 0; at < b.length; ) {
    const n = view.getUint32(at, true);
    each(b.subarray(at + FIXED, at + FIXED + n), b.subarray(at + 4, at + 36), b.subarray(at + 36, at + 68), b.subarray(at + 68, at + 132));
    at += FIXED + n;
  }
}
