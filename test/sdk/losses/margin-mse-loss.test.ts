import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { MarginMSELoss, marginMseLoss, type MarginMSELossOptions } from '../../../sdk/src/losses/margin-mse-loss';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, randomColumns, valueAndEmbeddingGrads } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, NEGATIVES, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

const marginMse = (labels: number[] | number[][], o: MarginMSELossOptions = {}) => (e: tf.Tensor2D[]) => marginMseLoss(e, tf.tensor(labels), o);

// q = (1, 0), p = (2, 0), n = (0, 1): dot scores 2 and 0, student margin 2.
const COLS = [[[1, 0]], [[2, 0]], [[0, 1]]];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`marginMseLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: (2 − 1.5)²; the same from [B], [B, K] margins and [B, K + 1] scores', () => {
      for (const labels of [[1.5], [[1.5]], [[3, 1.5]]]) {
        const { value, grads } = valueAndEmbeddingGrads(marginMse(labels), COLS);
        assertAllClose(value, 0.25, { atol: 1e-6, what: JSON.stringify(labels) });
        // dL/dm = 2(m − label) = 1; m = q·p − q·n: dq = p − n, dp = q, dn = −q.
        assertAllClose(grads, [[[2, -1]], [[1, 0]], [[-1, 0]]], { atol: 1e-6, what: JSON.stringify(labels) });
      }
    });

    it('K negatives: the mean over B·K margins; [B, K + 1] scores become label[:, 0] − label[:, k]', () => {
      const cols = [...COLS, [[1, 0]]]; // margins 2 and 1
      const at = (labels: number[][]) => tf.tidy(() => marginMse(labels)(cols.map((c) => tf.tensor2d(c))).arraySync());
      assertAllClose(at([[2, 0]]), 0.5, { atol: 1e-6 });
      assertAllClose(at([[5, 3, 5]]), 0.5, { atol: 1e-6 }); // scores → margins (2, 0)
    });

    it('labels carry no gradient', () => {
      const xs = [...COLS.map((c) => tf.tensor2d(c)), tf.tensor1d([1.5])];
      const grads = tf.grads((q: tf.Tensor, p: tf.Tensor, n: tf.Tensor, y: tf.Tensor) => marginMseLoss([q, p, n] as tf.Tensor2D[], y))(xs);
      assert.deepEqual(grads[3].arraySync(), [0]);
      tf.dispose([...xs, ...grads]);
    });

    it('pairwise_cos_sim: margins of cosines', () => {
      const value = tf.tidy(() => marginMse([0.5], { similarityFct: 'pairwise_cos_sim' })(COLS.map((c) => tf.tensor2d(c))).arraySync());
      assertAllClose(value, 0.25, { atol: 1e-6 }); // cos 1 − cos 0 = 1 vs 0.5
    });

    it('does not leak tensors', () => {
      const cols = randomColumns(3, 4, 3, 5);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(marginMse([[1, 0.5, -1], [0, 0, 0], [2, 1, 0]]), cols));
    });
  });
}

describe('marginMseLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('dot score, 2 negatives', () => assertMatchesFiniteDifferences(marginMse([[0.5, -0.2], [1, 0.3], [0, 0]]), randomColumns(4, 4, 3, 3), 'dot'));
  it('cosine, 1 negative', () => assertMatchesFiniteDifferences(marginMse([0.5, -0.2, 0.1], { similarityFct: 'pairwise_cos_sim' }), randomColumns(5, 3, 3, 3), 'cos'));
});

describe('marginMseLoss errors', () => {
  before(ready);
  it('names the loss, the accepted label shapes and what was given', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => marginMseLoss([a, a], tf.zeros([2])), /^Error: MarginMSELoss expects \(query, positive, negative_1, \.\.\., negative_n\) tuples \(at least 3 text columns\); got 2$/);
    assert.throws(() => marginMseLoss([a, a, a], undefined), /^Error: MarginMSELoss expects labels \(teacher margins \[2\] or \[2, 1\], or teacher scores \[2, 2\] \(positive first\)\); got no label column$/);
    assert.throws(() => marginMseLoss([a, a, a, a], tf.zeros([2])), /MarginMSELoss expects labels = teacher margins \[2\] \(one negative only\) or \[2, 2\], or teacher scores \[2, 3\] \(positive first\) for 2 negative columns; got shape \[2\]/);
    assert.throws(() => marginMseLoss([a, a, a], tf.zeros([2, 5])), /for 1 negative column; got shape \[2, 5\]/);
    assert.throws(() => marginMseLoss([a, a, a], tf.zeros([2]), { similarityFct: 'dot_score' as 'pairwise_dot_score' }), /MarginMSELoss: similarityFct 'dot_score' is not one of/);
    a.dispose();
  });
});

describe('MarginMSELoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });
  const margins = [2, 1.5, 3, 0.5, 1, 2.5];

  it('forward is the functional core on the model embeddings', () => {
    const model = tinyStaticModel();
    const loss = new MarginMSELoss(model);
    assert.deepEqual(loss.options, { similarityFct: 'pairwise_dot_score' });
    const y = tf.tensor1d(margins);
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf([ANCHORS, POSITIVES, NEGATIVES], ['query', 'positive', 'negative'], y)).arraySync(),
      marginMseLoss([ANCHORS, POSITIVES, NEGATIVES].map((c) => model.embed(c)), y).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    y.dispose();
    model.dispose();
  });

  it('trains: Adam steps lower the loss with a flat tensor count', () => {
    const model = tinyStaticModel();
    const y = tf.tensor1d(margins);
    const values = trainSteps(new MarginMSELoss(model), batchOf([ANCHORS, POSITIVES, NEGATIVES], ['query', 'positive', 'negative'], y), 6, 5e-2);
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    y.dispose();
    model.dispose();
  });
});

referenceFixtureSuite('MarginMSELoss', marginMseLoss);
