// Test helpers for the functional losses: seeded inputs, value + gradients w.r.t. every embedding matrix,
// central finite differences of the tfjs function (float32), plain float64 JS similarity helpers for
// hand-derived oracles, and a nested-array closeness assertion that names the first mismatch.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { Rng } from '../../../sdk/src/util/random';

export type Matrix = number[][];
export type LossFn = (embeddings: tf.Tensor2D[]) => tf.Scalar;

/** A [rows, cols] matrix of N(0, 1) draws from a seeded generator. */
export function randomMatrix(rng: Rng, rows: number, cols: number): Matrix {
  return Array.from({ length: rows }, () => Array.from({ length: cols }, () => rng.normal()));
}

export function randomColumns(seed: number, columns: number, rows: number, dim: number): Matrix[] {
  const rng = new Rng(seed);
  return Array.from({ length: columns }, () => randomMatrix(rng, rows, dim));
}

/** Loss value and d loss / d embeddings[i] for every column, all tensors disposed. */
export function valueAndEmbeddingGrads(fn: LossFn, columns: Matrix[]): { value: number; grads: Matrix[] } {
  const inputs = columns.map((c) => tf.tensor2d(c));
  const { value, grads } = tf.valueAndGrads((...xs: tf.Tensor[]) => fn(xs as tf.Tensor2D[]))(inputs);
  const out = { value: value.arraySync() as number, grads: grads.map((g) => g.arraySync() as Matrix) };
  tf.dispose([value, ...grads, ...inputs]);
  return out;
}

export function lossValue(fn: LossFn, columns: Matrix[]): number {
  return tf.tidy(() => fn(columns.map((c) => tf.tensor2d(c))).arraySync() as number);
}

/** Central differences of the tfjs loss (float32) for every entry of every column. */
export function finiteDifferenceGrads(fn: LossFn, columns: Matrix[], step = 1e-2): Matrix[] {
  return columns.map((col, c) =>
    col.map((row, i) =>
      row.map((_, j) => {
        const at = (delta: number) => lossValue(fn, columns.map((m, k) => (k !== c ? m : m.map((r, ii) => (ii !== i ? r : r.map((v, jj) => (jj === j ? v + delta : v)))))));
        return (at(step) - at(-step)) / (2 * step);
      }),
    ),
  );
}

/** Same, for a plain float64 JS function of the columns (oracles): exact enough for 1e-6 comparisons. */
export function finiteDifferenceGrads64(fn: (columns: Matrix[]) => number, columns: Matrix[], step = 1e-6): Matrix[] {
  return columns.map((col, c) =>
    col.map((row, i) =>
      row.map((_, j) => {
        const at = (delta: number) => fn(columns.map((m, k) => (k !== c ? m : m.map((r, ii) => (ii !== i ? r : r.map((v, jj) => (jj === j ? v + delta : v)))))));
        return (at(step) - at(-step)) / (2 * step);
      }),
    ),
  );
}

type Nested = number | Nested[];

/** |actual − expected| ≤ atol + rtol·|expected| everywhere; fails on the first entry that is off, with its path. */
export function assertAllClose(actual: Nested, expected: Nested, opts: { atol?: number; rtol?: number; what?: string } = {}): void {
  const { atol = 1e-4, rtol = 0, what = 'value' } = opts;
  const walk = (a: Nested, e: Nested, path: string): void => {
    if (typeof e === 'number') {
      assert.equal(typeof a, 'number', `${what}${path}: expected a number, got ${JSON.stringify(a)}`);
      const av = a as number;
      assert.ok(Number.isFinite(av) || av === e, `${what}${path}: got ${av}, expected ${e}`);
      assert.ok(Math.abs(av - e) <= atol + rtol * Math.abs(e), `${what}${path}: got ${av}, expected ${e} (atol ${atol}, rtol ${rtol})`);
      return;
    }
    assert.ok(Array.isArray(a), `${what}${path}: expected an array, got ${JSON.stringify(a)}`);
    const arr = a as Nested[];
    assert.equal(arr.length, e.length, `${what}${path}: length ${arr.length}, expected ${e.length}`);
    e.forEach((x, i) => walk(arr[i], x, `${path}[${i}]`));
  };
  walk(actual, expected, '');
}

/** Largest absolute entry of nested arrays. */
export function maxAbs(x: Nested): number {
  return typeof x === 'number' ? Math.abs(x) : x.reduce((m: number, y) => Math.max(m, maxAbs(y)), 0);
}

/** Finite-difference check with a tolerance relative to the gradient's overall size (float32, step 1e-2). */
export function assertMatchesFiniteDifferences(fn: LossFn, columns: Matrix[], what: string, rtol = 1e-2): void {
  const { grads } = valueAndEmbeddingGrads(fn, columns);
  const fd = finiteDifferenceGrads(fn, columns);
  assertAllClose(grads, fd, { atol: rtol * Math.max(1, maxAbs(fd)), rtol, what: `${what} gradient vs finite differences` });
}

// ---- float64 JS building blocks for oracles ----

export const dot = (a: number[], b: number[]): number => a.reduce((s, v, i) => s + v * b[i], 0);
export const norm = (a: number[]): number => Math.sqrt(dot(a, a));
/** cos_sim as F.normalize (eps) then dot. */
export const cos = (a: number[], b: number[], eps = 1e-12): number => dot(a, b) / (Math.max(norm(a), eps) * Math.max(norm(b), eps));
export const logSumExp = (xs: number[]): number => {
  const m = Math.max(...xs);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
};
export const mean = (xs: number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;

/** tf.memory().numTensors after running `step` several times must not grow. */
export function assertFlatTensorCount(step: () => void, times = 3, what = 'step'): void {
  step();
  const before = tf.memory().numTensors;
  for (let i = 0; i < times; i++) step();
  assert.equal(tf.memory().numTensors, before, `${what} leaks tensors: ${before} before, ${tf.memory().numTensors} after ${times} more`);
}

/**
 * The value and every embedding gradient of `fn` against a reference fixture (torch, float64) at 1e-4
 * (absolute, or relative for values above 1).
 */
export function assertMatchesFixtureCase(fn: LossFn, embeddings: Matrix[], expected: { loss: number; grads: Matrix[] }, name: string): void {
  const { value, grads } = valueAndEmbeddingGrads(fn, embeddings);
  assertAllClose(value, expected.loss, { atol: 1e-4, rtol: 1e-4, what: `${name} loss` });
  assertAllClose(grads, expected.grads, { atol: 1e-4, rtol: 1e-4, what: `${name} d loss / d embeddings` });
}
