import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { ContrastiveLoss, contrastiveLoss, siameseDistance, type ContrastiveLossOptions } from '../../../sdk/src/losses/contrastive-loss';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, randomColumns, valueAndEmbeddingGrads } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, NEGATIVES, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

const contrastive = (labels: number[], o: ContrastiveLossOptions = {}) => (e: tf.Tensor2D[]) => contrastiveLoss(e, tf.tensor1d(labels), o);

describe('contrastiveLoss with labels other than 0 / 1 (first in this process: the warning is once per process)', () => {
  before(ready);
  it('uses them as weights of the two terms and warns once, asynchronously', async () => {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (message: unknown) => void warnings.push(String(message));
    try {
      // d = 1 (orthogonal), y = 0.25, margin 2: ½ (0.25·1² + 0.75·(2 − 1)²) = 0.5
      const run = () => tf.tidy(() => contrastiveLoss([tf.tensor2d([[1, 0]]), tf.tensor2d([[0, 1]])], tf.tensor1d([0.25]), { margin: 2 }).arraySync());
      assertAllClose(run(), 0.5, { atol: 1e-6 });
      run();
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(warnings.length, 1, `warnings: ${JSON.stringify(warnings)}`);
      assert.match(warnings[0], /^ContrastiveLoss: found labels other than 0 and 1; they weight the similar term/);
    } finally {
      console.warn = original;
    }
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`contrastiveLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: cosine distance, a dissimilar pair at d = 0 and a similar pair at d = 1', () => {
      const cols = [[[1, 0], [1, 0]], [[1, 0], [0, 1]]]; // d = [0, 1]
      const { value, grads } = valueAndEmbeddingGrads(contrastive([0, 1]), cols);
      assertAllClose(value, (0.5 * 0.5 ** 2 + 0.5 * 1) / 2, { atol: 1e-7 }); // ½[margin − 0]+² and ½·1²
      // Row 0: cos is at its maximum, so dd/du0 = 0. Row 1: dL/dd = y·d/B = 0.5, dd/du1 = −v1 = [0, −1], dd/dv1 = −u1.
      assertAllClose(grads, [[[0, 0], [0, -0.5]], [[0, 0], [-0.5, 0]]], { atol: 1e-6 });
      const sum = tf.tidy(() => contrastiveLoss(cols.map((c) => tf.tensor2d(c)), tf.tensor1d([0, 1]), { sizeAverage: false }).arraySync());
      assertAllClose(sum, 0.625, { atol: 1e-7 });
    });

    it('EUCLIDEAN and MANHATTAN add torch pairwise_distance eps 1e-6 to the difference', () => {
      const u = tf.tensor2d([[0, 0]]);
      const v = tf.tensor2d([[3, 4]]);
      const [eu, man] = tf.tidy(() => [siameseDistance('EUCLIDEAN', u, v).arraySync()[0], siameseDistance('MANHATTAN', u, v).arraySync()[0]]);
      assertAllClose(eu, Math.hypot(3 - 1e-6, 4 - 1e-6), { atol: 1e-6 });
      assertAllClose(man, 7 - 2e-6, { atol: 1e-6 });
      const [similar, dissimilar] = tf.tidy(() => [
        contrastiveLoss([u, v], tf.tensor1d([1]), { distanceMetric: 'EUCLIDEAN' }).arraySync(),
        contrastiveLoss([u, v], tf.tensor1d([0]), { distanceMetric: 'MANHATTAN', margin: 8 }).arraySync(),
      ]);
      assertAllClose(similar, 0.5 * Math.hypot(3 - 1e-6, 4 - 1e-6) ** 2, { atol: 1e-4 });
      assertAllClose(dissimilar, 0.5 * (8 - (7 - 2e-6)) ** 2, { atol: 1e-5 });
      tf.dispose([u, v]);
    });

    it('identical and zero embeddings give finite gradients for every metric', () => {
      for (const distanceMetric of ['COSINE_DISTANCE', 'EUCLIDEAN', 'MANHATTAN'] as const) {
        const { value, grads } = valueAndEmbeddingGrads(contrastive([1, 0], { distanceMetric }), [[[0, 0, 0], [1, 2, 3]], [[0, 0, 0], [1, 2, 3]]]);
        assert.ok(Number.isFinite(value) && grads.flat(2).every(Number.isFinite), distanceMetric);
      }
    });

    it('does not leak tensors', () => {
      const cols = randomColumns(3, 2, 4, 5);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(contrastive([1, 0, 1, 0], { distanceMetric: 'EUCLIDEAN' }), cols));
    });
  });
}

describe('contrastiveLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  const cases: ContrastiveLossOptions[] = [{}, { distanceMetric: 'EUCLIDEAN', margin: 3 }, { distanceMetric: 'MANHATTAN', margin: 6, sizeAverage: false }];
  for (const o of cases) it(JSON.stringify(o), () => assertMatchesFiniteDifferences(contrastive([1, 0, 0, 1], o), randomColumns(31, 2, 4, 3), JSON.stringify(o)));
});

describe('contrastiveLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => contrastiveLoss([a, a, a], tf.zeros([2])), /^Error: ContrastiveLoss expects \(anchor, other\) pairs \(2 text columns\); got 3$/);
    assert.throws(() => contrastiveLoss([a, a], undefined), /^Error: ContrastiveLoss expects labels \(one label per row, 1 if similar, 0 if dissimilar\); got no label column$/);
    assert.throws(() => contrastiveLoss([a, a], tf.zeros([3])), /ContrastiveLoss expects one label per row, 1 if similar, 0 if dissimilar: labels of shape \[2\]; got shape \[3\]/);
    assert.throws(() => contrastiveLoss([a, a], tf.zeros([2]), { distanceMetric: 'COSINE' as 'EUCLIDEAN' }), /ContrastiveLoss: distanceMetric must be one of COSINE_DISTANCE, EUCLIDEAN, MANHATTAN; got 'COSINE'/);
    a.dispose();
  });
});

describe('ContrastiveLoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });
  const texts = [ANCHORS, [...POSITIVES.slice(0, 3), ...NEGATIVES.slice(3)]];
  const labels = [1, 1, 1, 0, 0, 0];

  it('forward is the functional core on the model embeddings', () => {
    const model = tinyStaticModel();
    const loss = new ContrastiveLoss(model, { distanceMetric: 'EUCLIDEAN', margin: 2 });
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf(texts, ['anchor', 'other'], tf.tensor1d(labels))).arraySync(),
      contrastiveLoss(texts.map((c) => model.embed(c)), tf.tensor1d(labels), { distanceMetric: 'EUCLIDEAN', margin: 2 }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    assert.deepEqual(loss.options, { distanceMetric: 'EUCLIDEAN', margin: 2, sizeAverage: true });
    model.dispose();
  });

  it('trains: Adam steps lower the loss with a flat tensor count', () => {
    const model = tinyStaticModel();
    const y = tf.tensor1d(labels);
    const values = trainSteps(new ContrastiveLoss(model), batchOf(texts, ['anchor', 'other'], y));
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    y.dispose();
    model.dispose();
  });
});

referenceFixtureSuite('ContrastiveLoss', contrastiveLoss);
