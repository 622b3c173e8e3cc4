import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import {
  GlobalOrthogonalRegularizationLoss,
  globalOrthogonalRegularizationLoss,
  globalOrthogonalRegularizationParts,
  type GlobalOrthogonalRegularizationLossOptions,
} from '../../../sdk/src/losses/global-orthogonal-regularization-loss';
import {
  assertAllClose,
  assertFlatTensorCount,
  assertMatchesFiniteDifferences,
  assertMatchesFixtureCase,
  cos,
  dot,
  finiteDifferenceGrads64,
  randomColumns,
  valueAndEmbeddingGrads,
  type Matrix,
} from './gradient-checks';
import { ANCHORS, NEGATIVES, POSITIVES, batchOf, tinyTransformerModel, trainSteps } from './tiny-models';
import { lossFixturesFor, snakeToCamel } from '../../reference/fixtures';

function oracleParts(cols: Matrix[], o: GlobalOrthogonalRegularizationLossOptions = {}): { gorMean?: number; gorSecondMoment?: number } {
  const sim = o.similarityFct === 'dot_score' ? dot : (x: number[], y: number[]) => cos(x, y);
  const terms = cols.map((e) => {
    const off = e.flatMap((x, i) => e.flatMap((y, j) => (i === j ? [] : [sim(x, y)])));
    const m1 = off.reduce((s, v) => s + v, 0) / off.length;
    const m2 = off.reduce((s, v) => s + v * v, 0) / off.length;
    return [m1 * m1, Math.max(m2 - 1 / e[0].length, 0)];
  });
  const agg = (k: number) => terms.reduce((s, t) => s + t[k], 0) / (o.aggregation === 'sum' ? 1 : terms.length);
  const { meanWeight = 1, secondMomentWeight = 1 } = o;
  return { ...(meanWeight ? { gorMean: meanWeight * agg(0) } : {}), ...(secondMomentWeight ? { gorSecondMoment: secondMomentWeight * agg(1) } : {}) };
}
const oracle = (cols: Matrix[], o: GlobalOrthogonalRegularizationLossOptions = {}) => Object.values(oracleParts(cols, o)).reduce((s, v) => s + v, 0);
const gor = (o: GlobalOrthogonalRegularizationLossOptions = {}) => (e: tf.Tensor2D[]) => globalOrthogonalRegularizationLoss(e, undefined, o);

const CONFIGS: [string, GlobalOrthogonalRegularizationLossOptions][] = [
  ['defaults', {}],
  ['sum aggregation, weights 0.5 / 2', { aggregation: 'sum', meanWeight: 0.5, secondMomentWeight: 2 }],
  ['second moment only (EmbeddingGemma)', { meanWeight: 0, aggregation: 'sum' }],
  ['dot_score, mean only', { similarityFct: 'dot_score', secondMomentWeight: null }],
];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`globalOrthogonalRegularizationLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: two orthogonal and two opposite vectors', () => {
      // Column 1: e1, e2 → S off-diagonal 0: M1 = 0, M2 = 0 → [0 − ½]+ = 0.
      // Column 2: e1, −e1 → S off-diagonal −1: M1² = 1, M2 = 1 → 1 − ½ = ½. Means over 2 columns: ½ and ¼.
      const cols = [[[1, 0], [0, 1]], [[1, 0], [-1, 0]]];
      const parts = tf.tidy(() => {
        const p = globalOrthogonalRegularizationParts(cols.map((c) => tf.tensor2d(c)));
        return { gorMean: p.gorMean!.arraySync(), gorSecondMoment: p.gorSecondMoment!.arraySync() };
      });
      assertAllClose([parts.gorMean, parts.gorSecondMoment], [0.5, 0.25], { atol: 1e-6 });
      assertAllClose(valueAndEmbeddingGrads(gor(), cols).value, 0.75, { atol: 1e-6 });
    });

    for (const [what, o] of CONFIGS) {
      it(`matches the oracle (sum and parts): ${what}`, () => {
        const cols = randomColumns(90 + what.length, 3, 4, 3);
        const { value, grads } = valueAndEmbeddingGrads(gor(o), cols);
        assertAllClose(value, oracle(cols, o), { atol: 1e-5 });
        assertAllClose(grads, finiteDifferenceGrads64((c) => oracle(c, o), cols), { atol: 1e-4 });
        const parts = tf.tidy(() => {
          const p = globalOrthogonalRegularizationParts(cols.map((c) => tf.tensor2d(c)), undefined, o);
          return Object.fromEntries(Object.entries(p).map(([k, t]) => [k, (t as tf.Scalar).arraySync()]));
        });
        const expected = oracleParts(cols, o);
        assert.deepEqual(Object.keys(parts).sort(), Object.keys(expected).sort());
        for (const k of Object.keys(expected) as (keyof typeof expected)[]) assertAllClose(parts[k], expected[k]!, { atol: 1e-5, what: k });
      });
    }

    it('zero vectors stay finite; no leak', () => {
      const cols = randomColumns(95, 2, 3, 3);
      cols[0][0] = [0, 0, 0];
      const r = valueAndEmbeddingGrads(gor(), cols);
      assert.ok(Number.isFinite(r.value) && r.grads.flat(2).every(Number.isFinite));
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(gor(), cols));
    });
  });
}

describe('globalOrthogonalRegularizationLoss checks', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('finite differences (float32, cpu)', () => {
    assertMatchesFiniteDifferences(gor({ aggregation: 'sum' }), randomColumns(96, 2, 3, 3), 'GOR');
  });
  it('errors: batch of one (the reference divides 0 by 0), weights, aggregation', () => {
    const one = tf.zeros([1, 3]) as tf.Tensor2D;
    assert.throws(() => globalOrthogonalRegularizationLoss([one]), /GlobalOrthogonalRegularizationLoss needs at least 2 rows per column .*; got 1/);
    const a = tf.ones([2, 3]) as tf.Tensor2D;
    assert.throws(() => globalOrthogonalRegularizationLoss([a], undefined, { meanWeight: 0, secondMomentWeight: null }), /at least one of meanWeight or secondMomentWeight must be non-zero; got 0 and null/);
    assert.throws(() => globalOrthogonalRegularizationLoss([a], undefined, { aggregation: 'max' as 'sum' }), /aggregation must be 'mean' or 'sum'; got 'max'/);
    assert.throws(() => globalOrthogonalRegularizationLoss([]), /GlobalOrthogonalRegularizationLoss expects any text columns \(at least 1 text columns?\); got 0/);
    tf.dispose([one, a]);
  });
});

describe('GlobalOrthogonalRegularizationLoss class (wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });
  it('trains any number of columns: the regulariser decreases with a flat tensor count', () => {
    const model = tinyTransformerModel({ seed: 20 });
    const loss = new GlobalOrthogonalRegularizationLoss(model, { aggregation: 'sum' });
    const values = trainSteps(loss, batchOf([ANCHORS, POSITIVES, NEGATIVES]));
    assert.ok(values[values.length - 1] < values[0] * 0.5, `loss ${values.join(' → ')}`);
    assert.throws(() => new GlobalOrthogonalRegularizationLoss(model, { meanWeight: 0, secondMomentWeight: 0 }), /at least one of meanWeight or secondMomentWeight/);
    model.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`globalOrthogonalRegularizationLoss reference fixtures (torch) on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('GlobalOrthogonalRegularizationLoss')) {
      it(`${c.name}: the sum and its two parts`, () => {
        const o = c.options as GlobalOrthogonalRegularizationLossOptions;
        assertMatchesFixtureCase(gor(o), c.inputs.embeddings, c.expected, c.name);
        const parts = tf.tidy(() => {
          const p = globalOrthogonalRegularizationParts(c.inputs.embeddings.map((m) => tf.tensor2d(m)), undefined, o);
          return Object.fromEntries(Object.entries(p).map(([k, t]) => [k, (t as tf.Scalar).arraySync()]));
        });
        // Python keys gor_mean / gor_second_moment are gorMean / gorSecondMoment here.
        const expected = Object.fromEntries(Object.entries(c.expected.parts!).map(([k, v]) => [snakeToCamel(k), v]));
        assert.deepEqual(Object.keys(parts).sort(), Object.keys(expected).sort());
        for (const k of Object.keys(expected)) assertAllClose(parts[k], expected[k], { atol: 1e-4, rtol: 1e-4, what: k });
      });
    }
  });
}
