/**
 * Post embeddings kept in memory as int8 with one scale per vector: a quarter of float32's
 * size (a week of a busy village's posts fits), at a ranking-irrelevant loss of precision.
 * Sparse vectors (the built-in hashed n-grams: ~80 of 512 dimensions set) keep only their
 * non-zero entries, which makes a dot product several times cheaper; dense ones (MiniLM) all.
 */
export interface QVector {
  /** Values (all dims when dense; the non-zero ones, in `idx` order, when sparse). */
  q: Int8Array;
  /** Dimensions of the non-zero values; absent when dense. */
  idx?: Uint16Array;
  dims: number;
  scale: number;
}

export function quantise(v: Float32Array): QVector {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]!));
  const dense = new Int8Array(v.length);
  if (max === 0) return { q: dense, dims: v.length, scale: 0 };
  const k = 127 / max;
  let nnz = 0;
  for (let i = 0; i < v.length; i++) if ((dense[i] = Math.round(v[i]! * k)) !== 0) nnz++;
  if (nnz * 3 >= v.length || v.length > 65535) return { q: dense, dims: v.length, scale: max / 127 };
  const q = new Int8Array(nnz);
  const idx = new Uint16Array(nnz);
  for (let i = 0, j = 0; i < v.length; i++) if (dense[i] !== 0) (q[j] = dense[i]!, (idx[j++] = i));
  return { q, idx, dims: v.length, scale: max / 127 };
}

/** Dot product of a float query and a quantised vector (cosine, both being unit length). */
export function dotQ(a: Float32Array, b: QVector): number {
  if (b.dims !== a.length) return 0;
  const q = b.q;
  let s = 0;
  const idx = b.idx;
  if (idx) for (let j = 0; j < q.length; j++) s += a[idx[j]!]! * q[j]!;
  else for (let i = 0; i < q.length; i++) s += a[i]! * q[i]!;
  return s * b.scale;
}

export function dequantise(b: QVector): Float32Array {
  const v = new Float32Array(b.dims);
  if (b.idx) for (let j = 0; j < b.q.length; j++) v[b.idx[j]!] = b.q[j]! * b.scale;
  else for (let i = 0; i < v.length; i++) v[i] = b.q[i]! * b.scale;
  return v;
}

export function normalise(v: Float32Array): Float32Array {
  let n = 0;
  for (let i = 0; i < v.length; i++) n += v[i]! * v[i]!;
  if (n === 0) return v;
  const inv = 1 / Math.sqrt(n);
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! * inv;
  return out;
}
