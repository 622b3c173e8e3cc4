import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { CosineSimilarityLoss, cosineSimilarityLoss, type CosineSimilarityLossOptions } from '../../../sdk/src/losses/cosine-similarity-loss';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, randomColumns, valueAndEmbeddingGrads } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

const cosineLoss = (labels: number[], o: CosineSimilarityLossOptions = {}) => (e: tf.Tensor2D[]) => cosineSimilarityLoss(e, tf.tensor1d(labels), o);

// u0 ⟂ v0 (cos 0), u1 = v1 (cos 1); labels 0.5 and 0.5.
const U = [[1, 0], [1, 1]];
const V = [[0, 1], [1, 1]];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`cosineSimilarityLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: MSE of cosines [0, 1] against [0.5, 0.5] = 0.25', () => {
      const { value, grads } = valueAndEmbeddingGrads(cosineLoss([0.5, 0.5]), [U, V]);
      assertAllClose(value, 0.25, { atol: 1e-7 });
      // dL/dcos = 2(cos − y)/B = [−0.5, 0.5]; dcos/du = v/(‖u‖‖v‖) − cos·u/‖u‖²: row 0 → v0 = [0, 1]; row 1 → 0.
      assertAllClose(grads, [[[0, -0.5], [0, 0]], [[-0.5, 0], [0, 0]]], { atol: 1e-6 });
    });

    it("lossFct 'l1' is the mean absolute error", () => {
      const { value, grads } = valueAndEmbeddingGrads(cosineLoss([0.5, 0.5], { lossFct: 'l1' }), [U, V]);
      assertAllClose(value, 0.5, { atol: 1e-7 });
      // dL/dcos = sign(cos − y)/B = [−0.5, 0.5]: the same as MSE here.
      assertAllClose(grads, [[[0, -0.5], [0, 0]], [[-0.5, 0], [0, 0]]], { atol: 1e-6 });
    });

    it('cosScoreTransformation applies to the cosines before the comparison', () => {
      const value = tf.tidy(() => cosineSimilarityLoss([tf.tensor2d(U), tf.tensor2d(V)], tf.tensor1d([0.5, 0.5]), { cosScoreTransformation: (c) => tf.mul(c, 2) as tf.Tensor1D }).arraySync());
      assertAllClose(value, (0.25 + 2.25) / 2, { atol: 1e-6 }); // (0 − 0.5)² and (2 − 0.5)²
    });

    it('a zero embedding scores cosine 0 with finite gradients (torch eps 1e-8)', () => {
      const { value, grads } = valueAndEmbeddingGrads(cosineLoss([1, 0.5]), [[[0, 0], [1, 1]], [[1, 2], [1, 1]]]);
      assertAllClose(value, (1 + 0.25) / 2, { atol: 1e-6 });
      assert.ok(grads.flat(2).every(Number.isFinite));
    });

    it('does not leak tensors', () => {
      const cols = randomColumns(3, 2, 4, 5);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(cosineLoss([0.1, 0.2, 0.3, 0.4]), cols));
    });
  });
}

describe('cosineSimilarityLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('mse', () => assertMatchesFiniteDifferences(cosineLoss([0.1, 0.8, -0.4]), randomColumns(21, 2, 3, 4), 'mse'));
  it('l1', () => assertMatchesFiniteDifferences(cosineLoss([0.9, 0.8, -0.9], { lossFct: 'l1' }), randomColumns(22, 2, 3, 4), 'l1'));
});

describe('cosineSimilarityLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => cosineSimilarityLoss([a], tf.zeros([2])), /^Error: CosineSimilarityLoss expects \(sentence_A, sentence_B\) pairs \(2 text columns\); got 1$/);
    assert.throws(() => cosineSimilarityLoss([a, a], undefined), /^Error: CosineSimilarityLoss expects labels \(one float similarity score per row\); got no label column$/);
    assert.throws(() => cosineSimilarityLoss([a, a], tf.zeros([2, 2])), /CosineSimilarityLoss expects one float similarity score per row: labels of shape \[2\]; got shape \[2, 2\]/);
    assert.throws(() => cosineSimilarityLoss([a, a], tf.zeros([2]), { lossFct: 'huber' as 'mse' }), /CosineSimilarityLoss: lossFct must be 'mse' or 'l1'; got 'huber'/);
    assert.throws(() => cosineSimilarityLoss([a, a], tf.zeros([2]), { cosScoreTransformation: 'relu' as 'identity' }), /cosScoreTransformation must be 'identity' or a function/);
    a.dispose();
  });
});

describe('CosineSimilarityLoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });
  const scores = [0.9, 0.1, 0.7, 0.3, 0.5, 0.2];

  it('forward is the functional core on the model embeddings', () => {
    const model = tinyStaticModel();
    const loss = new CosineSimilarityLoss(model, { lossFct: 'l1' });
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf([ANCHORS, POSITIVES], ['sentence1', 'sentence2'], tf.tensor1d(scores))).arraySync(),
      cosineSimilarityLoss([model.embed(ANCHORS), model.embed(POSITIVES)], tf.tensor1d(scores), { lossFct: 'l1' }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    model.dispose();
  });

  it('trains: Adam steps lower the loss with a flat tensor count', () => {
    const model = tinyStaticModel();
    const labels = tf.tensor1d(scores);
    const values = trainSteps(new CosineSimilarityLoss(model), batchOf([ANCHORS, POSITIVES], ['sentence1', 'sentence2'], labels));
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    labels.dispose();
    model.dispose();
  });
});

referenceFixtureSuite('CosineSimilarityLoss', cosineSimilarityLoss);
