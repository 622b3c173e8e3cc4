import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { ready, useBackend } from '../../../sdk/src/backend';
import { BatchHardSoftMarginTripletLoss, batchHardSoftMarginTripletLoss } from '../../../sdk/src/losses/batch-hard-soft-margin-triplet-loss';
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
import { tinyStaticModel } from './tiny-models';

const softplus = (x: number) => Math.log1p(Math.exp(x));
const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`batchHardSoftMarginTripletLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: points 0, 1, 3 with classes [0, 0, 1]: mean softplus(hp − hn)', () => {
      // hp − hn: a0: 1 − 3, a1: 1 − 2, a2: 0 − 2.
      const { value, grad } = valueAndGrad(batchHardSoftMarginTripletLoss, LINE, LINE_LABELS);
      assertAllClose(value, (softplus(-2) + softplus(-1) + softplus(-2)) / 3, { atol: 1e-6 });
      // d/dz softplus = σ(z); z0 = |x0 − x1| − |x0 − x2|, z1 = |x1 − x0| − |x1 − x2|, z2 = −|x2 − x1|.
      const [s0, s1, s2] = [sigmoid(-2), sigmoid(-1), sigmoid(-2)];
      assertAllClose(grad, [[(-s0 + s0 - s1) / 3], [(s0 + s1 + s1 + s2) / 3], [(-s0 - s1 - s2) / 3]], { atol: 1e-6 });
    });

    it('one class: every anchor has hp = row max = hn → log 2', () => {
      assertAllClose(valueAndGrad(batchHardSoftMarginTripletLoss, LINE, [1, 1, 1]).value, Math.LN2, { atol: 1e-6 });
    });

    sharedBatchTripletTests(batchHardSoftMarginTripletLoss);
  });
}

batchTripletFiniteDifferenceSuite('batchHardSoftMarginTripletLoss', batchHardSoftMarginTripletLoss, [{ distanceMetric: 'euclidean_distance' }, { distanceMetric: 'squared_euclidean_distance' }, { distanceMetric: 'cosine_distance' }], 81);

describe('batchHardSoftMarginTripletLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => assertBatchTripletErrors('BatchHardSoftMarginTripletLoss', batchHardSoftMarginTripletLoss));
  it('has no margin option', () => {
    const model = tinyStaticModel();
    assert.deepEqual(new BatchHardSoftMarginTripletLoss(model).options, { distanceMetric: 'euclidean_distance' });
    model.dispose();
  });
});

batchTripletClassSuite('BatchHardSoftMarginTripletLoss', (m) => new BatchHardSoftMarginTripletLoss(m), batchHardSoftMarginTripletLoss, {});
referenceFixtureSuite('BatchHardSoftMarginTripletLoss', batchHardSoftMarginTripletLoss);
