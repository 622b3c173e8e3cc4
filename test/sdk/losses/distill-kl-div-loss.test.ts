import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { DistillKLDivLoss, distillKlDivLoss, type DistillKLDivLossOptions } from '../../../sdk/src/losses/distill-kl-div-loss';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, randomColumns, valueAndEmbeddingGrads } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, NEGATIVES, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

const klDiv = (labels: number[][], o: DistillKLDivLossOptions = {}) => (e: tf.Tensor2D[]) => distillKlDivLoss(e, tf.tensor2d(labels), o);

// q = (1, 0), p = (1, 0), n = 0: student dot scores (1, 0).
const COLS = [[[1, 0]], [[1, 0]], [[0, 0]]];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`distillKlDivLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: KL(softmax(0, 0) ‖ softmax(1, 0)) = −ln 2 − ½ + ln(1 + e)', () => {
      const { value, grads } = valueAndEmbeddingGrads(klDiv([[0, 0]]), COLS);
      assertAllClose(value, -Math.LN2 - 0.5 + Math.log(1 + Math.E), { atol: 1e-6 });
      // dL/ds = softmax(s) − p = (c, −c), c = σ(1) − ½; s_k = q·c_k: dq = c·p − c·n, dp = c·q, dn = −c·q.
      const c = 1 / (1 + Math.exp(-1)) - 0.5;
      assertAllClose(grads, [[[c, 0]], [[c, 0]], [[-c, 0]]], { atol: 1e-6 });
    });

    it('identical distributions give 0', () => {
      assertAllClose(valueAndEmbeddingGrads(klDiv([[1, 0]]), COLS).value, 0, { atol: 1e-7 });
      // teacher (2, 0) / T_t 2 = (1, 0) = student scores / T_s 1
      assertAllClose(valueAndEmbeddingGrads(klDiv([[2, 0]], { teacherTemperature: 2 }), COLS).value, 0, { atol: 1e-7 });
    });

    it('studentTemperature divides the scores and multiplies the loss by T_s²; temperature sets both', () => {
      const expected = 4 * (-Math.LN2 - 0.25 + Math.log(1 + Math.exp(0.5)));
      assertAllClose(valueAndEmbeddingGrads(klDiv([[0, 0]], { studentTemperature: 2 }), COLS).value, expected, { atol: 1e-6 });
      assertAllClose(valueAndEmbeddingGrads(klDiv([[0, 0]], { temperature: 2 }), COLS).value, expected, { atol: 1e-6 });
      assertAllClose(valueAndEmbeddingGrads(klDiv([[0, 0]], { temperature: 2, studentTemperature: null }), COLS).value, expected, { atol: 1e-6 });
    });

    it('does not leak tensors', () => {
      const cols = randomColumns(3, 4, 3, 5);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(klDiv([[1, 0.5, -1], [0, 0, 0], [2, 1, 0]], { temperature: 0.5 }), cols));
    });
  });
}

describe('distillKlDivLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('dot score, 2 negatives, T = 2', () => assertMatchesFiniteDifferences(klDiv([[0.5, -0.2, 1], [1, 0.3, 0], [0, 0, 2]], { temperature: 2 }), randomColumns(4, 4, 3, 3), 'dot'));
  it('cosine, T_s 0.5, T_t 2', () =>
    assertMatchesFiniteDifferences(klDiv([[0.5, -0.2], [1, 0.3], [0, 0]], { similarityFct: 'pairwise_cos_sim', studentTemperature: 0.5, teacherTemperature: 2 }), randomColumns(5, 3, 3, 3), 'cos'));
});

describe('distillKlDivLoss errors', () => {
  before(ready);
  it('names the loss, the expected labels and what was given', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => distillKlDivLoss([a, a], tf.zeros([2, 1])), /^Error: DistillKLDivLoss expects \(query, positive, negative_1, \.\.\., negative_n\) tuples \(at least 3 text columns\); got 2$/);
    assert.throws(() => distillKlDivLoss([a, a, a], undefined), /^Error: DistillKLDivLoss expects labels \(teacher scores \[2, 2\], one per candidate column \(positive, negatives\)\); got no label column$/);
    assert.throws(() => distillKlDivLoss([a, a, a], tf.zeros([2])), /DistillKLDivLoss expects labels = teacher scores \[2, 2\], one per candidate column \(positive, negatives\); got shape \[2\]/);
    assert.throws(() => distillKlDivLoss([a, a, a], tf.zeros([2, 2]), { temperature: -1 }), /DistillKLDivLoss: temperature must be a positive number; got -1/);
    a.dispose();
  });
});

describe('DistillKLDivLoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });
  const teacher = [[3, 0], [2, -1], [4, 1], [1, 0], [2, 0], [3, 1]];

  it('forward is the functional core on the model embeddings', () => {
    const model = tinyStaticModel();
    const loss = new DistillKLDivLoss(model, { temperature: 2 });
    assert.deepEqual(loss.options, { similarityFct: 'pairwise_dot_score', studentTemperature: 2, teacherTemperature: 2 });
    const y = tf.tensor2d(teacher);
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf([ANCHORS, POSITIVES, NEGATIVES], ['query', 'positive', 'negative'], y)).arraySync(),
      distillKlDivLoss([ANCHORS, POSITIVES, NEGATIVES].map((c) => model.embed(c)), y, { temperature: 2 }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    y.dispose();
    model.dispose();
  });

  it('trains: Adam steps lower the loss with a flat tensor count', () => {
    const model = tinyStaticModel();
    const y = tf.tensor2d(teacher);
    const values = trainSteps(new DistillKLDivLoss(model), batchOf([ANCHORS, POSITIVES, NEGATIVES], ['query', 'positive', 'negative'], y), 6, 5e-2);
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    y.dispose();
    model.dispose();
  });
});

referenceFixtureSuite('DistillKLDivLoss', distillKlDivLoss);
