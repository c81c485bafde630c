import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { SparseMatrix } from './ppmi.ts';

/** Columns of a tall matrix, each a Float64Array of `rows` values. */
type Columns = Float64Array[];

/** Y = M X for a sparse square M and tall X given by columns. */
function multiply(m: SparseMatrix, x: Columns): Columns {
  const k = x.length;
  const y = Array.from({ length: k }, () => new Float64Array(m.size));
  for (let i = 0; i < m.size; i++) {
    for (let p = m.rowStart[i]!; p < m.rowStart[i + 1]!; p++) {
      const j = m.cols[p]!;
      const v = m.values[p]!;
      for (let c = 0; c < k; c++) y[c]![i]! += v * x[c]![j]!;
    }
  }
  return y;
}

/** Orthonormal columns by modified Gram-Schmidt (twice, for the rounding); columns that vanish become zero. */
function orthonormalise(cols: Columns): Columns {
  for (let pass = 0; pass < 2; pass++) {
    for (let a = 0; a < cols.length; a++) {
      const u = cols[a]!;
      for (let b = 0; b < a; b++) {
        const q = cols[b]!;
        let d = 0;
        for (let i = 0; i < u.length; i++) d += u[i]! * q[i]!;
        for (let i = 0; i < u.length; i++) u[i]! -= d * q[i]!;
      }
      let n = 0;
      for (let i = 0; i < u.length; i++) n += u[i]! * u[i]!;
      const inv = n > 1e-20 ? 1 / Math.sqrt(n) : 0;
      for (let i = 0; i < u.length; i++) u[i]! *= inv;
    }
  }
  return cols;
}

/** A small deterministic generator: the same corpus gives the same model. */
function gaussian(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = () => ((s = Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32 + 1e-12;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

export interface Eigen {
  /** Eigenvalues, largest first. */
  values: Float64Array;
  /** The matching eigenvectors, as columns of `size` values. */
  vectors: Columns;
}

/**
 * The `rank` largest eigenpairs of a symmetric sparse matrix by randomized subspace iteration
 * (Halko, Martinsson and Tropp 2011): a random block, a few power iterations, then the exact
 * eigendecomposition of the small projected matrix (ml-matrix).
 */
export function topEigen(m: SparseMatrix, rank: number, { oversample = 16, iterations = 3, seed = 7 } = {}): Eigen {
  const k = Math.min(m.size, rank + oversample);
  const g = gaussian(seed);
  let q = orthonormalise(Array.from({ length: k }, () => Float64Array.from({ length: m.size }, g)));
  for (let it = 0; it < iterations; it++) q = orthonormalise(multiply(m, q));
  const mq = multiply(m, q);
  const t = new Matrix(k, k);
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let d = 0;
      const x = q[a]!;
      const y = mq[b]!;
      for (let i = 0; i < m.size; i++) d += x[i]! * y[i]!;
      t.set(a, b, d);
      t.set(b, a, d);
    }
  }
  const eig = new EigenvalueDecomposition(t, { assumeSymmetric: true });
  const order = eig.realEigenvalues.map((v, i) => [v, i] as const).sort((x, y) => y[0] - x[0]).slice(0, Math.min(rank, k));
  const w = eig.eigenvectorMatrix;
  const vectors = order.map(([, c]) => {
    const v = new Float64Array(m.size);
    for (let a = 0; a < k; a++) {
      const f = w.get(a, c);
      const col = q[a]!;
      for (let i = 0; i < m.size; i++) v[i]! += f * col[i]!;
    }
    return v;
  });
  return { values: Float64Array.from(order.map(([v]) => v)), vectors };
}
