import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { TripletLoss, tripletLoss, type TripletLossOptions } from '../../../sdk/src/losses/triplet-loss';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, randomColumns, valueAndEmbeddingGrads } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, NEGATIVES, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

const triplet = (o: TripletLossOptions = {}) => (e: tf.Tensor2D[]) => tripletLoss(e, undefined, o);

// Row 0: a = 0, p = (3, 4), n = (6, 8); row 1: a = 0, p = (1, 0), n = (0, 1).
const COLS = [[[0, 0], [0, 0]], [[3, 4], [1, 0]], [[6, 8], [0, 1]]];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`tripletLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case, EUCLIDEAN: [5 − 10 + 6]+ and [1 − 1 + 6]+ → mean 3.5', () => {
      const { value, grads } = valueAndEmbeddingGrads(triplet({ tripletMargin: 6 }), COLS);
      assertAllClose(value, 3.5, { atol: 1e-6 });
      // Row 0: d/da = (a − p)/‖a − p‖ − (a − n)/‖a − n‖ = (−0.6, −0.8) − (−0.6, −0.8) = 0; d/dp = (0.6, 0.8); d/dn = −(0.6, 0.8). All / B = 2.
      // Row 1: d/da = (−1, 0) − (0, −1) = (−1, 1); d/dp = (1, 0); d/dn = (0, −1).
      assertAllClose(grads, [[[0, 0], [-0.5, 0.5]], [[0.3, 0.4], [0.5, 0]], [[-0.3, -0.4], [0, -0.5]]], { atol: 1e-6 });
    });

    it('the default margin is 5, and MANHATTAN and COSINE distances', () => {
      const at = (o: TripletLossOptions) => tf.tidy(() => triplet(o)(COLS.map((c) => tf.tensor2d(c))).arraySync());
      assertAllClose(at({}), (0 + 5) / 2, { atol: 1e-6 }); // [5 − 10 + 5]+ = 0, [1 − 1 + 5]+ = 5
      assertAllClose(at({ distanceMetric: 'MANHATTAN', tripletMargin: 8 }), (1 + 8) / 2, { atol: 1e-6 }); // [7 − 14 + 8]+, [1 − 1 + 8]+
      // COSINE (1 − cos): row 0 has a zero anchor (cos 0 for both), row 1: 1 − 1 + 0.5.
      assertAllClose(at({ distanceMetric: 'COSINE', tripletMargin: 0.5 }), (0.5 + 0.5) / 2, { atol: 1e-6 });
    });

    it('identical anchor and positive: distance 0 with a finite (zero) gradient, not NaN', () => {
      const { value, grads } = valueAndEmbeddingGrads(triplet(), [[[1, 2]], [[1, 2]], [[1, 5]]]);
      assertAllClose(value, 0 - 3 + 5, { atol: 1e-6 });
      assertAllClose(grads, [[[0, 1]], [[0, 0]], [[0, -1]]], { atol: 1e-6 });
    });

    it('does not leak tensors', () => {
      const cols = randomColumns(3, 3, 4, 5);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(triplet({ distanceMetric: 'COSINE' }), cols));
    });
  });
}

describe('tripletLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  const cases: TripletLossOptions[] = [{}, { distanceMetric: 'MANHATTAN', tripletMargin: 10 }, { distanceMetric: 'COSINE', tripletMargin: 1 }];
  for (const o of cases) it(JSON.stringify(o), () => assertMatchesFiniteDifferences(triplet(o), randomColumns(51, 3, 3, 4), JSON.stringify(o)));
});

describe('tripletLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => tripletLoss([a, a]), /^Error: TripletLoss expects \(anchor, positive, negative\) triplets \(3 text columns\); got 2$/);
    assert.throws(() => tripletLoss([a, a, a], undefined, { distanceMetric: 'EUCLIDEAN_DISTANCE' as 'EUCLIDEAN' }), /TripletLoss: distanceMetric must be one of EUCLIDEAN, MANHATTAN, COSINE; got 'EUCLIDEAN_DISTANCE'/);
    a.dispose();
  });
});

describe('TripletLoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('forward is the functional core on the model embeddings', () => {
    const model = tinyStaticModel();
    const loss = new TripletLoss(model, { tripletMargin: 1 });
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf([ANCHORS, POSITIVES, NEGATIVES])).arraySync(),
      tripletLoss([ANCHORS, POSITIVES, NEGATIVES].map((c) => model.embed(c)), undefined, { tripletMargin: 1 }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    assert.throws(() => loss.forward(batchOf([ANCHORS, POSITIVES])), /TripletLoss expects \(anchor, positive, negative\) triplets \(3 text columns\); got 2 \(anchor, positive\)$/);
    model.dispose();
  });

  it('trains: Adam steps lower the loss with a flat tensor count', () => {
    const model = tinyStaticModel();
    const values = trainSteps(new TripletLoss(model, { tripletMargin: 1 }), batchOf([ANCHORS, POSITIVES, NEGATIVES]), 6, 5e-2);
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    model.dispose();
  });
});

referenceFixtureSuite('TripletLoss', tripletLoss);
