// float64 building blocks for the modifier oracles: Matryoshka's truncation, AdaptiveLayer's KL term.
import type { Matrix } from './gradient-checks';

/** Rows truncated to `dim` and L2-normalised (F.normalize, eps 1e-12). */
export const shrink64 = (m: Matrix, dim: number): Matrix =>
  m.map((r) => {
    const t = r.slice(0, dim);
    const n = Math.max(Math.sqrt(t.reduce((s, v) => s + v * v, 0)), 1e-12);
    return t.map((v) => v / n);
  });

function logSoftmax(row: number[], T: number): number[] {
  const m = Math.max(...row) / T;
  const z = Math.log(row.reduce((s, v) => s + Math.exp(v / T - m), 0)) + m;
  return row.map((v) => v / T - z);
}

/** kl_div(log_softmax(rows / T), softmax(target / T), "batchmean"): Σ P (log P − log Q) / number of rows. */
export function klBatchmean64(rows: Matrix, target: Matrix, T: number): number {
  const q = rows.map((r) => logSoftmax(r, T));
  const p = target.map((r) => logSoftmax(r, T));
  return q.reduce((s, row, i) => s + p[i].reduce((t, lp, j) => t + Math.exp(lp) * (lp - row[j]), 0), 0) / rows.length;
}
