// Principal component analysis for 2-D views of embeddings, in float64 plain JS (no tf: the result must be
// deterministic and exact across backends).
//
// Method: block power iteration on the covariance C = X^T X / (n - 1) of the centred data, never forming C
// (each step is X^T (X V)), with a few extra vectors in the block so that convergence depends on the gap
// after them, and a Rayleigh-Ritz step (Jacobi eigen-decomposition of V^T C V) to split the block into
// eigenvectors. Stops when every wanted Ritz pair has residual ||C u - θ u|| <= tolerance * θ_1.
// Sign convention (as many PCA libraries): each component's largest-magnitude loading is positive.
import { Rng } from '../util/random';

export interface PcaOptions {
  /** Default 1e-10. */
  tolerance?: number;
  /** Default 1000. */
  maxIterations?: number;
}

export interface PcaResult {
  /** Rows projected on the components: [n][k]. */
  projection: number[][];
  /** Unit principal axes: [k][dim]. */
  components: number[][];
  /** Share of the total variance along each component. */
  explainedVarianceRatio: number[];
  /** Column means removed before projecting. */
  mean: number[];
}

type Mat = Float64Array[]; // column vectors of length d

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** C v for every column v, as X^T (X v) / (n - 1); x holds the centred rows. */
function covTimes(x: Float64Array[], v: Mat): Mat {
  const d = v[0].length;
  return v.map((col) => {
    const out = new Float64Array(d);
    for (const row of x) {
      const s = dot(row, col);
      for (let j = 0; j < d; j++) out[j] += s * row[j];
    }
    for (let j = 0; j < d; j++) out[j] /= x.length - 1;
    return out;
  });
}

/** Modified Gram-Schmidt; a column that (numerically) lies in the span of the previous ones is replaced by a random direction. */
function orthonormalize(v: Mat, rng: Rng): Mat {
  const out: Mat = [];
  for (const col of v) {
    let c = Float64Array.from(col);
    for (let attempt = 0; ; attempt++) {
      const before = Math.sqrt(dot(c, c));
      for (const q of out) {
        const p = dot(q, c);
        for (let i = 0; i < c.length; i++) c[i] -= p * q[i];
      }
      const norm = Math.sqrt(dot(c, c));
      if (norm > 1e-10 * before && norm > 0) {
        out.push(c.map((x) => x / norm));
        break;
      }
      if (attempt === 3) throw new Error('pca: could not build an orthonormal block (dimension smaller than the block?)');
      c = Float64Array.from({ length: col.length }, () => rng.normal());
    }
  }
  return out;
}

/** Eigen-decomposition of a small symmetric matrix (cyclic Jacobi): values descending, vectors as columns. */
export function symmetricEigen(a: number[][]): { values: number[]; vectors: number[][] } {
  const n = a.length;
  const m = a.map((r) => r.slice());
  const v: number[][] = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += m[p][q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        if (m[p][q] === 0) continue;
        const theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const [mkp, mkq] = [m[k][p], m[k][q]];
          m[k][p] = c * mkp - s * mkq;
          m[k][q] = s * mkp + c * mkq;
        }
        for (let k = 0; k < n; k++) {
          const [mpk, mqk] = [m[p][k], m[q][k]];
          m[p][k] = c * mpk - s * mqk;
          m[q][k] = s * mpk + c * mqk;
        }
        for (let k = 0; k < n; k++) {
          const [vkp, vkq] = [v[k][p], v[k][q]];
          v[k][p] = c * vkp - s * vkq;
          v[k][q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => m[j][j] - m[i][i]);
  return { values: order.map((i) => m[i][i]), vectors: v.map((row) => order.map((i) => row[i])) };
}

export function pca(rows: readonly ArrayLike<number>[], k = 2, options: PcaOptions = {}): PcaResult {
  const { tolerance = 1e-10, maxIterations = 1000 } = options;
  const n = rows.length;
  if (n < 2) throw new Error(`pca needs at least 2 rows; got ${n}`);
  const d = rows[0].length;
  rows.forEach((r, i) => {
    if (r.length !== d) throw new Error(`pca: row ${i} has ${r.length} values; row 0 has ${d}`);
  });
  if (!Number.isInteger(k) || k < 1 || k > d) throw new Error(`pca: k must be an integer in 1..${d}; got ${k}`);
  const mean = Array.from({ length: d }, (_, j) => rows.reduce((s, r) => s + r[j], 0) / n);
  const x = rows.map((r) => Float64Array.from({ length: d }, (_, j) => r[j] - mean[j]));
  const totalVariance = x.reduce((s, r) => s + dot(r, r), 0) / (n - 1);

  const rng = new Rng(1);
  const block = Math.min(d, k + 4);
  let v = orthonormalize(Array.from({ length: block }, () => Float64Array.from({ length: d }, () => rng.normal())), rng);
  let ritz: { values: number[]; vectors: Mat } = { values: [], vectors: v };
  for (let iter = 0; iter < maxIterations; iter++) {
    const cv = covTimes(x, v);
    const h = v.map((vi) => cv.map((cj) => dot(vi, cj)));
    const sym = h.map((r, i) => r.map((_, j) => (h[i][j] + h[j][i]) / 2));
    const eig = symmetricEigen(sym);
    const u = eig.vectors[0].map((_, c) => combine(v, eig.vectors, c));
    const cu = eig.vectors[0].map((_, c) => combine(cv, eig.vectors, c));
    ritz = { values: eig.values, vectors: u };
    const scale = Math.max(Math.abs(eig.values[0]), 1e-300);
    const converged = u.slice(0, k).every((ui, i) => {
      let r = 0;
      for (let j = 0; j < d; j++) r += (cu[i][j] - eig.values[i] * ui[j]) ** 2;
      return Math.sqrt(r) <= tolerance * scale;
    });
    if (converged || totalVariance === 0) break;
    v = orthonormalize(cu, rng);
  }

  const components = ritz.vectors.slice(0, k).map((c) => {
    let big = 0;
    for (let j = 1; j < d; j++) if (Math.abs(c[j]) > Math.abs(c[big])) big = j;
    return Array.from(c, (x) => (c[big] < 0 ? -x : x));
  });
  const projection = x.map((r) => components.map((c) => r.reduce((s, xi, j) => s + xi * c[j], 0)));
  const explainedVarianceRatio = ritz.values.slice(0, k).map((l) => (totalVariance > 0 ? Math.max(0, l) / totalVariance : 0));
  return { projection, components, explainedVarianceRatio, mean };
}

/** Column c of V S, where S's columns are eigenvectors of the block's Rayleigh quotient. */
function combine(v: Mat, s: number[][], c: number): Float64Array {
  const out = new Float64Array(v[0].length);
  v.forEach((col, i) => {
    const w = s[i][c];
    for (let j = 0; j < out.length; j++) out[j] += w * col[j];
  });
  return out;
}
