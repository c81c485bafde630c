import type { Cooccurrence } from './cooccurrence.ts';

/** A sparse square matrix in compressed rows. */
export interface SparseMatrix {
  size: number;
  rowStart: Uint32Array;
  cols: Uint32Array;
  values: Float32Array;
}

/** Context counts raised to this power: smooths rare contexts' PMI (Levy, Goldberg and Dagan 2015). */
const CONTEXT_SMOOTHING = 0.75;

/**
 * Positive pointwise mutual information of each pair: log P(w, c) / (P(w) P_α(c)), kept where
 * positive. It says which words keep company more often than chance, whatever their frequency.
 */
export function ppmi(c: Cooccurrence): SparseMatrix {
  const V = c.vocabulary.length;
  const rowSum = new Float64Array(V);
  let total = 0;
  for (const [i, , n] of c.pairs.entries()) (rowSum[i]! += n), (total += n);
  const ctx = new Float64Array(V);
  let ctxTotal = 0;
  for (let j = 0; j < V; j++) ctxTotal += ctx[j] = rowSum[j]! ** CONTEXT_SMOOTHING;
  const rows: { j: number; v: number }[][] = Array.from({ length: V }, () => []);
  for (const [i, j, n] of c.pairs.entries()) {
    const pmi = Math.log((n / total) / ((rowSum[i]! / total) * (ctx[j]! / ctxTotal)));
    if (pmi > 0) rows[i]!.push({ j, v: pmi });
  }
  const rowStart = new Uint32Array(V + 1);
  let nnz = 0;
  for (let i = 0; i < V; i++) (rowStart[i] = nnz), (nnz += rows[i]!.length);
  rowStart[V] = nnz;
  const cols = new Uint32Array(nnz);
  const values = new Float32Array(nnz);
  for (let i = 0, k = 0; i < V; i++) for (const { j, v } of rows[i]!) (cols[k] = j), (values[k++] = v);
  return { size: V, rowStart, cols, values };
}
