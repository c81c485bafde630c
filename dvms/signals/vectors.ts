/**
 * Post embeddings kept in memory as int8 with one scale per vector: a quarter of float32's
 * size (a week of a busy village's posts fits), at a ranking-irrelevant loss of precision.
 */
export interface QVector {
  q: Int8Array;
  scale: number;
}

export function quantise(v: Float32Array): QVector {
  let max = 0;
  for (let i = 0; i < v.length; i++) max = Math.max(max, Math.abs(v[i]!));
  const q = new Int8Array(v.length);
  if (max === 0) return { q, scale: 0 };
  const k = 127 / max;
  for (let i = 0; i < v.length; i++) q[i] = Math.round(v[i]! * k);
  return { q, scale: max / 127 };
}

/** Dot product of a float query and a quantised vector (cosine, both being unit length). */
export function dotQ(a: Float32Array, b: QVector): number {
  const q = b.q;
  if (q.length !== a.length) return 0;
  let s = 0;
  for (let i = 0; i < q.length; i++) s += a[i]! * q[i]!;
  return s * b.scale;
}

export function dequantise(b: QVector): Float32Array {
  const v = new Float32Array(b.q.length);
  for (let i = 0; i < v.length; i++) v[i] = b.q[i]! * b.scale;
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
