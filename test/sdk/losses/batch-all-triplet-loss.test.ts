import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ready, useBackend } from '../../../sdk/src/backend';
import { BatchAllTripletLoss, batchAllTripletLoss } from '../../../sdk/src/losses/batch-all-triplet-loss';
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
  describe(`batchAllTripletLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: points 0, 1, 3 with classes [0, 0, 1], margin 5', () => {
      // Valid triplets (a, p, n): (0, 1, 2): D01 − D02 + 5 = 3; (1, 0, 2): D10 − D12 + 5 = 4. Both active → 3.5.
      const { value, grad } = valueAndGrad(batchAllTripletLoss, LINE, LINE_LABELS);
      assertAllClose(value, 3.5, { atol: 1e-6 });
      // loss = (2|x0 − x1| − |x0 − x2| − |x1 − x2| + 10) / 2
      assertAllClose(grad, [[-0.5], [1.5], [-1]], { atol: 1e-6 });
    });

    it('averages over the active triplets only, not all valid ones', () => {
      // margin 1.5: (0, 1, 2) → [−0.5]+ = 0 (inactive), (1, 0, 2) → 0.5: loss 0.5 / 1.
      assertAllClose(valueAndGrad(batchAllTripletLoss, LINE, LINE_LABELS, { margin: 1.5 }).value, 0.5, { atol: 1e-6 });
      // squared distances 1, 9, 4: (0, 1, 2) → [1 − 9 + 5]+ = 0, (1, 0, 2) → [1 − 4 + 5]+ = 2.
      assertAllClose(valueAndGrad(batchAllTripletLoss, LINE, LINE_LABELS, { distanceMetric: 'squared_euclidean_distance' }).value, 2, { atol: 1e-6 });
    });

    it('cosine distance: 1 − cos', () => {
      // x0 = (1, 0), x1 = (0, 1) same class, x2 = (−1, 0): D01 = 1, D02 = 2, D12 = 1; margin 1.5: [1 − 2 + 1.5]+ = 0.5, [1 − 1 + 1.5]+ = 1.5.
      assertAllClose(valueAndGrad(batchAllTripletLoss, [[1, 0], [0, 1], [-1, 0]], LINE_LABELS, { distanceMetric: 'cosine_distance', margin: 1.5 }).value, 1, { atol: 1e-6 });
    });

    it('no valid triplet (one class, or all classes distinct): 0 with zero gradients', () => {
      for (const labels of [[2, 2, 2], [0, 1, 2]]) {
        const { value, grad } = valueAndGrad(batchAllTripletLoss, LINE, labels);
        assert.equal(value, 0);
        assertAllClose(grad, [[0], [0], [0]], { atol: 0 });
      }
    });

    sharedBatchTripletTests(batchAllTripletLoss);
  });
}

batchTripletFiniteDifferenceSuite('batchAllTripletLoss', batchAllTripletLoss, [{}, { distanceMetric: 'squared_euclidean_distance', margin: 3 }, { distanceMetric: 'cosine_distance', margin: 0.5 }], 61);

describe('batchAllTripletLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => assertBatchTripletErrors('BatchAllTripletLoss', batchAllTripletLoss));
});

batchTripletClassSuite('BatchAllTripletLoss', (m) => new BatchAllTripletLoss(m, { margin: 1 }), batchAllTripletLoss, { margin: 1 });
referenceFixtureSuite('BatchAllTripletLoss', batchAllTripletLoss);
