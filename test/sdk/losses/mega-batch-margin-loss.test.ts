import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { MegaBatchMarginLoss, megaBatchMarginLoss, type MegaBatchMarginLossOptions } from '../../../sdk/src/losses/mega-batch-margin-loss';
import {
  assertAllClose,
  assertFlatTensorCount,
  assertMatchesFiniteDifferences,
  assertMatchesFixtureCase,
  cos,
  finiteDifferenceGrads64,
  mean,
  randomColumns,
  valueAndEmbeddingGrads,
  type Matrix,
} from './gradient-checks';
import { ANCHORS, NEGATIVES, POSITIVES, assertSameGradients, batchOf, gradsToArrays, tinyStaticModel, tinyTransformerModel, trainSteps } from './tiny-models';
import { lossFixturesFor } from '../../reference/fixtures';

function oracle([a, p]: Matrix[], { positiveMargin = 0.8, negativeMargin = 0.3 }: MegaBatchMarginLossOptions = {}): number {
  return mean(a.map((ai, i) => Math.max(positiveMargin - cos(ai, p[i]), 0) + Math.max(Math.max(...p.map((pj, j) => (j === i ? -Infinity : cos(ai, pj)))) - negativeMargin, 0)));
}
const mbml = (o: MegaBatchMarginLossOptions = {}) => (e: tf.Tensor2D[]) => megaBatchMarginLoss(e, undefined, o);

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`megaBatchMarginLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case', () => {
      // cos matrix [[1, 0.6], [0.8, 0]] (a_0 = e1, a_1 = e2; p_0 = e1, p_1 = (0.6, 0.8)... transposed below).
      const a = [[1, 0], [0, 1]];
      const p = [[1, 0], [0.6, 0.8]];
      // Row 0: [0.8 − 1]+ = 0, hardest negative cos(a_0, p_1) = 0.6 → [0.6 − 0.3]+ = 0.3.
      // Row 1: [0.8 − 0.8]+ = 0, hardest negative cos(a_1, p_0) = 0 → 0. Mean 0.15.
      const { value, grads } = valueAndEmbeddingGrads(mbml(), [a, p]);
      assertAllClose(value, 0.15, { atol: 1e-6 });
      // Only the row-0 negative term is active: d/d a_0 of cos(a_0, p_1) / 2 at a_0 = e1 is (p_1 − cos·a_0)/2 = (0, 0.4).
      assertAllClose(grads[0], [[0, 0.4], [0, 0]], { atol: 1e-6 });
    });

    for (const [what, o] of [['defaults', {}], ['margins 0.5 / 0', { positiveMargin: 0.5, negativeMargin: 0 }]] as const) {
      it(`matches the float64 oracle: ${what}`, () => {
        const cols = randomColumns(61 + what.length, 2, 6, 4);
        const { value, grads } = valueAndEmbeddingGrads(mbml(o), cols);
        assertAllClose(value, oracle(cols, o), { atol: 1e-5 });
        assertAllClose(grads, finiteDifferenceGrads64((c) => oracle(c, o), cols), { atol: 1e-4 });
      });
    }

    it('tied hardest negatives (duplicate positives): the gradient goes to one index, as torch.max', () => {
      const a = [[1, 0.2], [0, 1], [0.3, 1]];
      const p = [[1, 0], [0.5, 0.9], [0.5, 0.9]];
      const { value, grads } = valueAndEmbeddingGrads(mbml({ negativeMargin: 0 }), [a, p]);
      assertAllClose(value, oracle([a, p], { negativeMargin: 0 }), { atol: 1e-6 });
      // Row 0's hardest negative is tied between p_1 and p_2: only p_1 (the first) receives its gradient.
      const expected = finiteDifferenceGrads64(([aa, pp]) => {
        const rows = aa.map((ai, i) => Math.max(0.8 - cos(ai, pp[i]), 0) + (i === 0 ? Math.max(cos(ai, pp[1]), 0) : Math.max(Math.max(...pp.map((pj, j) => (j === i ? -Infinity : cos(ai, pj)))), 0)));
        return mean(rows);
      }, [a, p]);
      assertAllClose(grads, expected, { atol: 1e-4 });
    });

    it('batch of one: no negative, loss [0.8 − cos]+', () => {
      const { value } = valueAndEmbeddingGrads(mbml(), [[[1, 0]], [[0, 1]]]);
      assertAllClose(value, 0.8, { atol: 1e-6 });
    });

    it('zero vectors stay finite; no tensor leak', () => {
      const cols = randomColumns(62, 2, 4, 3);
      cols[1][2] = [0, 0, 0];
      const r = valueAndEmbeddingGrads(mbml(), cols);
      assert.ok(Number.isFinite(r.value) && r.grads.flat(2).every(Number.isFinite));
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(mbml(), cols));
    });
  });
}

describe('megaBatchMarginLoss checks', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('finite differences (float32, cpu)', () => {
    assertMatchesFiniteDifferences(mbml({ negativeMargin: -0.5, positiveMargin: 1 }), randomColumns(63, 2, 4, 3), 'MegaBatchMarginLoss');
  });
  it('errors', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => megaBatchMarginLoss([a, a, a]), /MegaBatchMarginLoss expects \(anchor, positive\) pairs; the negatives are mined from the other positives \(2 text columns\); got 3/);
    a.dispose();
  });
});

describe('MegaBatchMarginLoss class (wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('the mini-batched (GradCache) version equals the plain one: value and parameter gradients', () => {
    const model = tinyTransformerModel({ seed: 13 });
    const batch = batchOf([ANCHORS, POSITIVES]);
    const plain = new MegaBatchMarginLoss(model, { useMiniBatchedVersion: false, negativeMargin: 0 }).lossAndGradients(batch);
    const loss = new MegaBatchMarginLoss(model, { miniBatchSize: 4, negativeMargin: 0 });
    assert.equal(loss.usesGradientCache, true);
    const cached = loss.lossAndGradients(batch);
    assertAllClose(cached.value.dataSync()[0], plain.value.dataSync()[0], { atol: 1e-6, rtol: 1e-6 });
    tf.dispose([plain.value, cached.value]);
    assertSameGradients(gradsToArrays(cached.grads), gradsToArrays(plain.grads), 1e-4);
    model.dispose();
  });

  it('trains (loss decreases, flat tensor count); StaticEmbedding only without mini-batching, as the reference', () => {
    const model = tinyTransformerModel({ seed: 14 });
    const values = trainSteps(new MegaBatchMarginLoss(model, { miniBatchSize: 3 }), batchOf([ANCHORS, POSITIVES]));
    assert.ok(values[values.length - 1] < values[0], `loss ${values.join(' → ')}`);
    model.dispose();
    const staticModel = tinyStaticModel();
    assert.throws(() => new MegaBatchMarginLoss(staticModel), /MegaBatchMarginLoss \(mini-batched\) is not compatible with .*StaticEmbedding.*consider useMiniBatchedVersion: false instead/);
    const values2 = trainSteps(new MegaBatchMarginLoss(staticModel, { useMiniBatchedVersion: false }), batchOf([ANCHORS, POSITIVES]), 4, 0.1);
    assert.ok(values2[values2.length - 1] < values2[0], `loss ${values2.join(' → ')}`);
    assert.throws(() => new MegaBatchMarginLoss(staticModel, { useMiniBatchedVersion: false }).forward(batchOf([ANCHORS, POSITIVES, NEGATIVES])), /MegaBatchMarginLoss expects \(anchor, positive\) pairs; .* \(2 text columns\); got 3 \(anchor, positive, negative\)/);
    staticModel.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`megaBatchMarginLoss reference fixtures (torch) on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('MegaBatchMarginLoss')) {
      it(c.name, () => assertMatchesFixtureCase(mbml(c.options as MegaBatchMarginLossOptions), c.inputs.embeddings, c.expected, c.name));
    }
  });
}
