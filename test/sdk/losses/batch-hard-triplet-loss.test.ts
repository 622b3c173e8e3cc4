import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { BatchHardTripletLoss, batchHardTripletLoss } from '../../../sdk/src/losses/batch-hard-triplet-loss';
import {
  LINE,
  LINE_LABELS,
  assertBatchTripletErrors,
  batchTripletClassSuite,
  batchTripletFiniteDifferenceSuite,
  sharedBatchTripletTests,
  valueAndGrad,
} from './batch-triplet-checks';
import { assertAllClose } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`batchHardTripletLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: points 0, 1, 3 with classes [0, 0, 1]; the anchor without positive still counts (hp = 0)', () => {
      // a0: hp 1, hn 3 → 3; a1: hp 1, hn 2 → 4; a2: hp 0 (no positive), hn 2 → 3. Mean 10/3.
      const { value, grad } = valueAndGrad(batchHardTripletLoss, LINE, LINE_LABELS);
      assertAllClose(value, 10 / 3, { atol: 1e-6 });
      // loss = (|x0 − x1| − |x0 − x2| + |x1 − x0| − |x1 − x2| − |x2 − x1| + 15) / 3. a0's only negative (D02 = 3) is also its
      // row maximum, so it ties with the lifted diagonal (0 + 3): the gradient must still count once, as torch's min(dim).
      assertAllClose(grad, [[-1 / 3], [4 / 3], [-1]], { atol: 1e-6 });
    });

    it('an anchor without negative uses the row maximum: one class → hp − max + margin = margin', () => {
      // a0: hp = max(1, 3) = 3 = row max; a1: hp = max(1, 2) = 2 = row max; a2: hp = 3 = row max.
      const { value, grad } = valueAndGrad(batchHardTripletLoss, LINE, [7, 7, 7]);
      assertAllClose(value, 5, { atol: 1e-6 });
      assertAllClose(grad, [[0], [0], [0]], { atol: 1e-6 });
    });

    it('all classes distinct: hp = 0, loss = mean [margin − nearest distance]+', () => {
      // nearest: a0 → 1, a1 → 1, a2 → 2; margin 1.5: [0.5, 0.5, 0]+ → 1/3.
      assertAllClose(valueAndGrad(batchHardTripletLoss, LINE, [0, 1, 2], { margin: 1.5 }).value, 1 / 3, { atol: 1e-6 });
    });

    it('squared euclidean and cosine distances', () => {
      // squared: a0: 1 − 9, a1: 1 − 4, a2: 0 − 4; margin 5 → [−3, 2, 1]+ → 1.
      assertAllClose(valueAndGrad(batchHardTripletLoss, LINE, LINE_LABELS, { distanceMetric: 'squared_euclidean_distance' }).value, 1, { atol: 1e-6 });
      // (1, 0), (0, 1) | (−1, 0): D01 = 1, D02 = 2, D12 = 1; margin 1: a0: [1 − 2 + 1]+ = 0, a1: [1 − 1 + 1] = 1, a2: [0 − 1 + 1] = 0.
      assertAllClose(valueAndGrad(batchHardTripletLoss, [[1, 0], [0, 1], [-1, 0]], LINE_LABELS, { distanceMetric: 'cosine_distance', margin: 1 }).value, 1 / 3, { atol: 1e-6 });
    });

    sharedBatchTripletTests(batchHardTripletLoss);
  });
}

batchTripletFiniteDifferenceSuite('batchHardTripletLoss', batchHardTripletLoss, [{}, { distanceMetric: 'squared_euclidean_distance', margin: 3 }, { distanceMetric: 'cosine_distance', margin: 0.5 }], 71);

describe('batchHardTripletLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => {
    assertBatchTripletErrors('BatchHardTripletLoss', batchHardTripletLoss);
    const a = tf.zeros([3, 2]) as tf.Tensor2D;
    assert.throws(() => batchHardTripletLoss([a], tf.zeros([3]), { margin: Number.NaN }), /^Error: BatchHardTripletLoss: margin must be a finite number; got NaN$/);
    a.dispose();
  });
});

batchTripletClassSuite('BatchHardTripletLoss', (m) => new BatchHardTripletLoss(m, { margin: 1 }), batchHardTripletLoss, { margin: 1 });
referenceFixtureSuite('BatchHardTripletLoss', batchHardTripletLoss);
