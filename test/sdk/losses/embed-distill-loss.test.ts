import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { EmbedDistillLoss, embedDistillLoss, type EmbedDistillLossFunctionalOptions } from '../../../sdk/src/losses/embed-distill-loss';
import { mseLoss } from '../../../sdk/src/losses/mse-loss';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, randomColumns, valueAndEmbeddingGrads, type Matrix } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

const distill = (labels: Matrix, o: EmbedDistillLossFunctionalOptions = {}) => (e: tf.Tensor2D[]) => embedDistillLoss(e, tf.tensor2d(labels), o);

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`embedDistillLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it("hand-derived cases: 'cosine' (default) mean(1 − cos), 'l2' mean ‖s − t‖₂", () => {
      const cosine = valueAndEmbeddingGrads(distill([[0, 1]]), [[[1, 0]]]);
      assertAllClose(cosine.value, 1, { atol: 1e-7 });
      assertAllClose(cosine.grads, [[[0, -1]]], { atol: 1e-6 }); // −(t/(‖s‖‖t‖) − cos·s/‖s‖²)
      const l2 = valueAndEmbeddingGrads(distill([[0, 0]], { distanceMetric: 'l2' }), [[[3, 4]]]);
      assertAllClose(l2.value, 5, { atol: 1e-6 });
      assertAllClose(l2.grads, [[[0.6, 0.8]]], { atol: 1e-6 });
    });

    it("'mse' is MSELoss", () => {
      const [a, b, t] = randomColumns(3, 3, 4, 5);
      const [viaDistill, viaMse] = tf.tidy(() => {
        const e = [tf.tensor2d(a), tf.tensor2d(b)];
        return [embedDistillLoss(e, tf.tensor2d(t), { distanceMetric: 'mse' }).arraySync(), mseLoss(e, tf.tensor2d(t)).arraySync()];
      });
      assert.equal(viaDistill, viaMse);
    });

    it("'l2' at zero distance and 'cosine' of a zero student: finite gradients", () => {
      const l2 = valueAndEmbeddingGrads(distill([[1, 2]], { distanceMetric: 'l2' }), [[[1, 2]]]);
      assert.equal(l2.value, 0);
      assertAllClose(l2.grads, [[[0, 0]]], { atol: 0 });
      const cosine = valueAndEmbeddingGrads(distill([[1, 2]]), [[[0, 0]]]);
      assert.ok(Number.isFinite(cosine.value) && cosine.grads.flat(2).every(Number.isFinite));
    });

    it('does not leak tensors', () => {
      const [x, y] = randomColumns(4, 2, 4, 5);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(distill(y, { distanceMetric: 'l2' }), [x, x]));
    });
  });
}

describe('embedDistillLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  for (const distanceMetric of ['cosine', 'l2', 'mse'] as const) {
    it(distanceMetric, () => {
      const [a, b, t] = randomColumns(5, 3, 3, 4);
      assertMatchesFiniteDifferences(distill(t, { distanceMetric }), [a, b], distanceMetric);
    });
  }
});

describe('embedDistillLoss errors', () => {
  before(ready);
  it('names the loss and what was given', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => embedDistillLoss([a], tf.zeros([2, 3]), { distanceMetric: 'kl_div' as 'mse' }), /^Error: EmbedDistillLoss: distanceMetric must be one of mse, cosine, l2; got 'kl_div'$/);
    assert.throws(() => embedDistillLoss([a], tf.zeros([3, 3])), /^Error: EmbedDistillLoss expects labels = teacher embeddings: \[2, 3\] .*; got shape \[3, 3\]$/);
    a.dispose();
  });
});

describe('EmbedDistillLoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('forward is the functional core with the default cosine distance', () => {
    const model = tinyStaticModel();
    const loss = new EmbedDistillLoss(model);
    assert.equal(loss.distanceMetric, 'cosine');
    assert.equal(loss.projection, undefined);
    assert.equal(loss.trainableWeights().length, model.trainableWeights().length);
    const teacher = tf.tensor2d(randomColumns(6, 1, 6, 16)[0]);
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf([ANCHORS], ['sentence'], teacher)).arraySync(),
      embedDistillLoss([model.embed(ANCHORS)], teacher).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    teacher.dispose();
    model.dispose();
  });

  it('trains with a projection to a smaller teacher (l2), flat tensor count', () => {
    const model = tinyStaticModel();
    const teacher = tf.tensor2d(randomColumns(7, 1, 6, 4)[0]);
    const loss = new EmbedDistillLoss(model, { distanceMetric: 'l2', projectionDim: 4 });
    const values = trainSteps(loss, batchOf([ANCHORS, POSITIVES], ['english', 'translation'], teacher), 6, 5e-2);
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    loss.dispose();
    teacher.dispose();
    model.dispose();
  });
});

referenceFixtureSuite('EmbedDistillLoss', embedDistillLoss);
