import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { CoSENTLoss, cosentFromScores, cosentLoss, type CoSENTLossOptions } from '../../../sdk/src/losses/cosent-loss';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, randomColumns, valueAndEmbeddingGrads, type Matrix } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

const cosent = (labels: number[], o: CoSENTLossOptions = {}) => (e: tf.Tensor2D[]) => cosentLoss(e, tf.tensor1d(labels), o);

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`cosentLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: dot score, scale 1, one ranked pair', () => {
      // s = [u0·v0, u1·v1] = [1, 2]; label_1 < label_0, so only (i = 1, j = 0) counts: loss = log(1 + e^{s1 − s0}) = log(1 + e).
      const u = [[1, 0], [0, 1]];
      const v = [[1, 0], [0, 2]];
      const { value, grads } = valueAndEmbeddingGrads(cosent([0.9, 0.1], { similarityFct: 'pairwise_dot_score', scale: 1 }), [u, v]);
      assertAllClose(value, Math.log(1 + Math.E), { atol: 1e-6 });
      // dL/ds1 = σ = e / (1 + e), dL/ds0 = −σ; ds_i/du_i = v_i, ds_i/dv_i = u_i.
      const s = Math.E / (1 + Math.E);
      assertAllClose(grads, [[[-s, 0], [0, 2 * s]], [[-s, 0], [0, s]]], { atol: 1e-6 });
    });

    it('defaults: cosine times scale 20; cos 1 and 0.6 → log(1 + e^{20·(0.6 − 1)})', () => {
      const value = tf.tidy(() => cosentLoss([tf.tensor2d([[1, 0], [1, 0]]), tf.tensor2d([[2, 0], [0.6, 0.8]])], tf.tensor1d([1, 0])).arraySync());
      assertAllClose(value, Math.log1p(Math.exp(-8)), { atol: 1e-7 });
    });

    it('tied labels contribute nothing (strict <): all equal → 0 with zero gradients', () => {
      const cols = randomColumns(3, 2, 4, 5);
      const { value, grads } = valueAndEmbeddingGrads(cosent([0.5, 0.5, 0.5, 0.5]), cols);
      assert.equal(value, 0);
      assert.ok(grads.flat(2).every((g) => g === 0));
    });

    it('a tie among other labels only removes that pair: equal to the list of strictly ordered pairs', () => {
      const scores = [0.3, -0.2, 0.9, 0.1];
      const labels = [0.2, 0.5, 0.5, 0.9];
      let sum = 1; // the "+1" term
      labels.forEach((li, i) => labels.forEach((lj, j) => { if (li < lj) sum += Math.exp(scores[i] - scores[j]); }));
      const value = tf.tidy(() => cosentFromScores(tf.tensor1d(scores), tf.tensor1d(labels)).arraySync());
      assertAllClose(value, Math.log(sum), { atol: 1e-6 });
    });

    it('zero vectors give a finite value and gradient', () => {
      const cols: Matrix[] = [[[0, 0, 0], [1, 2, 3]], [[1, 0, 0], [0, 0, 0]]];
      const { value, grads } = valueAndEmbeddingGrads(cosent([0.1, 0.9]), cols);
      assert.ok(Number.isFinite(value) && grads.flat(2).every(Number.isFinite));
    });

    it('accepts labels of shape [B, 1] like [B]', () => {
      const [a, b] = tf.tidy(() => {
        const e = randomColumns(4, 2, 3, 4).map((m) => tf.tensor2d(m));
        return [cosentLoss(e, tf.tensor1d([0.1, 0.7, 0.3])).arraySync(), cosentLoss(e, tf.tensor2d([[0.1], [0.7], [0.3]])).arraySync()];
      });
      assert.equal(a, b);
    });

    it('does not leak tensors', () => {
      const cols = randomColumns(5, 2, 4, 5);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(cosent([0.1, 0.2, 0.3, 0.4]), cols));
    });
  });
}

describe('cosentLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  for (const o of [{ scale: 2 }, { scale: 1, similarityFct: 'pairwise_dot_score' }, { scale: 1, similarityFct: 'pairwise_manhattan_sim' }] as CoSENTLossOptions[]) {
    it(JSON.stringify(o), () => assertMatchesFiniteDifferences(cosent([0.1, 0.8, 0.4, 0.4], o), randomColumns(11, 2, 4, 3), JSON.stringify(o)));
  }
});

describe('cosentLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => {
    const [a, b, c] = [tf.zeros([2, 3]), tf.zeros([2, 3]), tf.zeros([2, 3])] as tf.Tensor2D[];
    assert.throws(() => cosentLoss([a], tf.zeros([2])), /^Error: CoSENTLoss expects \(sentence_A, sentence_B\) pairs \(2 text columns\); got 1$/);
    assert.throws(() => cosentLoss([a, b, c], tf.zeros([2])), /CoSENTLoss expects \(sentence_A, sentence_B\) pairs \(2 text columns\); got 3/);
    assert.throws(() => cosentLoss([a, b], undefined), /^Error: CoSENTLoss expects labels \(one float similarity score per row\); got no label column$/);
    assert.throws(() => cosentLoss([a, b], tf.zeros([2, 3])), /^Error: CoSENTLoss expects one float similarity score per row: labels of shape \[2\]; got shape \[2, 3\]$/);
    assert.throws(() => cosentLoss([a, b], tf.zeros([2]), { similarityFct: 'cos_sim' as 'pairwise_cos_sim' }), /CoSENTLoss: similarityFct 'cos_sim' is not one of pairwise_cos_sim/);
    tf.dispose([a, b, c]);
  });
});

describe('CoSENTLoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });
  const scores = [0.9, 0.1, 0.7, 0.3, 0.5, 0.2];

  it('forward is the functional core on the model embeddings', () => {
    const model = tinyStaticModel();
    const loss = new CoSENTLoss(model, { scale: 10 });
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf([ANCHORS, POSITIVES], ['sentence1', 'sentence2'], tf.tensor1d(scores))).arraySync(),
      cosentLoss([model.embed(ANCHORS), model.embed(POSITIVES)], tf.tensor1d(scores), { scale: 10 }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    assert.deepEqual(loss.options, { scale: 10, similarityFct: 'pairwise_cos_sim' });
    assert.throws(() => loss.forward(batchOf([ANCHORS], ['sentence'], tf.tensor1d(scores))), /CoSENTLoss expects \(sentence_A, sentence_B\) pairs \(2 text columns\); got 1 \(sentence\)$/);
    model.dispose();
  });

  it('trains: Adam steps lower the loss with a flat tensor count', () => {
    const model = tinyStaticModel();
    const labels = tf.tensor1d(scores);
    const values = trainSteps(new CoSENTLoss(model), batchOf([ANCHORS, POSITIVES], ['sentence1', 'sentence2'], labels));
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    labels.dispose();
    model.dispose();
  });
});

referenceFixtureSuite('CoSENTLoss', cosentLoss);
