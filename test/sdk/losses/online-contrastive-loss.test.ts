import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { OnlineContrastiveLoss, onlineContrastiveLoss, type OnlineContrastiveLossOptions } from '../../../sdk/src/losses/online-contrastive-loss';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, randomColumns, valueAndEmbeddingGrads, type Matrix } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, NEGATIVES, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

const online = (labels: number[], o: OnlineContrastiveLossOptions = {}) => (e: tf.Tensor2D[]) => onlineContrastiveLoss(e, tf.tensor1d(labels), o);

/** Pairs (u_i, v_i) of unit vectors at cosine distance d_i: u = [1, 0], v = [1 − d, √(1 − (1 − d)²)]. */
function pairsAtDistances(distances: number[]): Matrix[] {
  return [distances.map(() => [1, 0]), distances.map((d) => [1 - d, Math.sqrt(1 - (1 - d) ** 2)])];
}

/** d loss / d (u, v) of one pair when dL/dd = g: d = 1 − cos, dcos/du = v − cos·u, dcos/dv = u − cos·v (unit vectors). */
function pairGradient(d: number, g: number): [number[], number[]] {
  const [u, v] = [[1, 0], [1 - d, Math.sqrt(1 - (1 - d) ** 2)]];
  const c = 1 - d;
  return [u.map((_, k) => -g * (v[k] - c * u[k])), v.map((_, k) => -g * (u[k] - c * v[k]))];
}

describe('onlineContrastiveLoss ignores labels other than 0 / 1 (first in this process: the warning is once per process)', () => {
  before(ready);
  it('a label-2 row changes nothing and gets no gradient; one warning', async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (message: unknown) => void warnings.push(String(message));
    try {
      const { value, grads } = valueAndEmbeddingGrads(online([1, 1, 0, 0, 2]), pairsAtDistances([0.1, 0.6, 0.3, 0.9, 0.05]));
      assertAllClose(value, 0.4, { atol: 1e-5 });
      assertAllClose([grads[0][4], grads[1][4]], [[0, 0], [0, 0]], { atol: 0 });
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(warnings, ['OnlineContrastiveLoss: found labels other than 0 and 1; those pairs are ignored. (Shown once.)']);
    } finally {
      console.warn = original;
    }
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`onlineContrastiveLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: P = [0.1, 0.6], N = [0.3, 0.9] → hard 0.6 (> min N) and 0.3 (< max P): 0.6² + (0.5 − 0.3)²', () => {
      const { value, grads } = valueAndEmbeddingGrads(online([1, 1, 0, 0]), pairsAtDistances([0.1, 0.6, 0.3, 0.9]));
      assertAllClose(value, 0.36 + 0.04, { atol: 1e-5 });
      // A sum, no ½: dL/dd = 2d for the hard positive, −2(margin − d) for the hard negative, 0 for easy pairs.
      const [u1, v1] = pairGradient(0.6, 1.2);
      const [u2, v2] = pairGradient(0.3, -0.4);
      assertAllClose(grads, [[[0, 0], u1, u2, [0, 0]], [[0, 0], v1, v2, [0, 0]]], { atol: 1e-5 });
    });

    it('one positive: negatives below mean(N) are hard (strictly), the positive is compared with min(N)', () => {
      // N = [0.1, 0.3, 0.8], mean 0.4 → hard 0.1, 0.3; P = [0.2] > min N = 0.1 → hard. 0.2² + 0.4² + 0.2²
      const value = tf.tidy(() => online([1, 0, 0, 0])(pairsAtDistances([0.2, 0.1, 0.3, 0.8]).map((m) => tf.tensor2d(m))).arraySync());
      assertAllClose(value, 0.04 + 0.16 + 0.04, { atol: 1e-5 });
    });

    it('no negatives: positives above mean(P) are hard', () => {
      const value = tf.tidy(() => online([1, 1, 1])(pairsAtDistances([0.2, 0.3, 0.7]).map((m) => tf.tensor2d(m))).arraySync());
      assertAllClose(value, 0.49, { atol: 1e-5 });
    });

    it('a single negative and no positive: nothing is hard, 0 with zero (not NaN) gradients', () => {
      const { value, grads } = valueAndEmbeddingGrads(online([0]), pairsAtDistances([0.3]));
      assert.equal(value, 0);
      assert.ok(grads.flat(2).every((g) => g === 0));
    });

    it('does not leak tensors', () => {
      const cols = randomColumns(3, 2, 6, 5);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(online([1, 0, 1, 0, 1, 0], { distanceMetric: 'EUCLIDEAN', margin: 3 }), cols));
    });
  });
}

describe('onlineContrastiveLoss finite differences (cpu, float32; inputs away from the thresholds)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  const cases: OnlineContrastiveLossOptions[] = [{ margin: 1.5 }, { distanceMetric: 'EUCLIDEAN', margin: 4 }, { distanceMetric: 'MANHATTAN', margin: 8 }];
  for (const o of cases) it(JSON.stringify(o), () => assertMatchesFiniteDifferences(online([1, 0, 1, 0, 1, 0], o), randomColumns(41, 2, 6, 3), JSON.stringify(o)));
});

describe('onlineContrastiveLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => onlineContrastiveLoss([a], tf.zeros([2])), /^Error: OnlineContrastiveLoss expects \(anchor, other\) pairs \(2 text columns\); got 1$/);
    assert.throws(() => onlineContrastiveLoss([a, a], undefined), /^Error: OnlineContrastiveLoss expects labels \(one label per row, 1 if similar, 0 if dissimilar\); got no label column$/);
    assert.throws(() => onlineContrastiveLoss([a, a], tf.zeros([2, 2])), /OnlineContrastiveLoss expects one label per row, 1 if similar, 0 if dissimilar: labels of shape \[2\]; got shape \[2, 2\]/);
    assert.throws(() => onlineContrastiveLoss([a, a], tf.zeros([2]), { margin: Infinity }), /OnlineContrastiveLoss: margin must be a finite number; got Infinity/);
    a.dispose();
  });
});

describe('OnlineContrastiveLoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });
  // Every anchor with its positive (1) and its negative (0): at initialisation the two distance ranges overlap, so there are hard pairs.
  const texts = [[...ANCHORS, ...ANCHORS], [...POSITIVES, ...NEGATIVES]];
  const labels = [...ANCHORS.map(() => 1), ...ANCHORS.map(() => 0)];

  it('forward is the functional core on the model embeddings', () => {
    const model = tinyStaticModel();
    const loss = new OnlineContrastiveLoss(model, { margin: 0.8 });
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf(texts, ['anchor', 'other'], tf.tensor1d(labels))).arraySync(),
      onlineContrastiveLoss(texts.map((c) => model.embed(c)), tf.tensor1d(labels), { margin: 0.8 }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    model.dispose();
  });

  it('trains: Adam steps lower the loss with a flat tensor count', () => {
    const model = tinyStaticModel();
    const y = tf.tensor1d(labels);
    const values = trainSteps(new OnlineContrastiveLoss(model, { margin: 1 }), batchOf(texts, ['anchor', 'other'], y));
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    y.dispose();
    model.dispose();
  });
});

referenceFixtureSuite('OnlineContrastiveLoss', onlineContrastiveLoss);
