import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ready, useBackend } from '../../../sdk/src/backend';
import { BatchSemiHardTripletLoss, batchSemiHardTripletLoss } from '../../../sdk/src/losses/batch-semi-hard-triplet-loss';
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
  describe(`batchSemiHardTripletLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: points 0, 1, 3 with classes [0, 0, 1]: the negative is farther than the positive', () => {
      // (0, 1): D01 = 1, negative 2 at D02 = 3 > 1 → 1 − 3 + 5 = 3; (1, 0): D10 = 1, D12 = 2 > 1 → 4. Mean 3.5.
      const { value, grad } = valueAndGrad(batchSemiHardTripletLoss, LINE, LINE_LABELS);
      assertAllClose(value, 3.5, { atol: 1e-6 });
      assertAllClose(grad, [[-0.5], [1.5], [-1]], { atol: 1e-6 });
    });

    it('closest negative strictly farther than D_ap, else the farthest negative; zero terms count in the mean', () => {
      // Points 0, 1 (class 0), 2, 5 (class 1), margin 1.
      // (0, 1): D = 1, negatives at 2 and 5 → closest farther 2: [1 − 2 + 1]+ = 0
      // (1, 0): D = 1, negatives at 1 (not strictly farther) and 4 → 4: [1 − 4 + 1]+ = 0
      // (2, 3): D = 3, negatives at 2 and 1, none farther → farthest 2: [3 − 2 + 1]+ = 2
      // (3, 2): D = 3, negatives at 5 and 4 → closest farther 4: [3 − 4 + 1]+ = 0       → 2 / 4 pairs
      const { value, grad } = valueAndGrad(batchSemiHardTripletLoss, [[0], [1], [2], [5]], [0, 0, 1, 1], { margin: 1 });
      assertAllClose(value, 0.5, { atol: 1e-6 });
      // Only (2, 3) with negative 0: (|x2 − x3| − |x2 − x0| + 1) / 4.
      assertAllClose(grad, [[0.25], [0], [-0.5], [0.25]], { atol: 1e-6 });
    });

    it('fallback to the farthest negative when no negative is farther', () => {
      // Points 0, 4 (class 0), 1 (class 1): (0, 1): D = 4, negative at 1 → 4 − 1 + 5 = 8; (1, 0): D = 4, negative at 3 → 6.
      assertAllClose(valueAndGrad(batchSemiHardTripletLoss, [[0], [4], [1]], LINE_LABELS).value, 7, { atol: 1e-6 });
    });

    it('no positive pair (all classes distinct): 0, finite', () => {
      const { value, grad } = valueAndGrad(batchSemiHardTripletLoss, LINE, [0, 1, 2]);
      assert.equal(value, 0);
      assertAllClose(grad, [[0], [0], [0]], { atol: 0 });
    });

    it('one class: no negatives, the row minimum (the anchor itself, 0) stands in: mean D_ap + margin', () => {
      // Pairs: D = 1, 3, 1, 2, 3, 2 → mean 2, + 5.
      assertAllClose(valueAndGrad(batchSemiHardTripletLoss, LINE, [4, 4, 4]).value, 7, { atol: 1e-6 });
    });

    sharedBatchTripletTests(batchSemiHardTripletLoss);
  });
}

batchTripletFiniteDifferenceSuite('batchSemiHardTripletLoss', batchSemiHardTripletLoss, [{}, { distanceMetric: 'squared_euclidean_distance', margin: 3 }, { distanceMetric: 'cosine_distance', margin: 0.5 }], 91);

describe('batchSemiHardTripletLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => assertBatchTripletErrors('BatchSemiHardTripletLoss', batchSemiHardTripletLoss));
});

batchTripletClassSuite('BatchSemiHardTripletLoss', (m) => new BatchSemiHardTripletLoss(m, { margin: 1 }), batchSemiHardTripletLoss, { margin: 1 });
referenceFixtureSuite('BatchSemiHardTripletLoss', batchSemiHardTripletLoss);
