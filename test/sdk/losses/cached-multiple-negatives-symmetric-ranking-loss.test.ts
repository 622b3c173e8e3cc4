import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import {
  CachedMultipleNegativesSymmetricRankingLoss,
  cachedMultipleNegativesSymmetricRankingLoss,
  type CachedMultipleNegativesSymmetricRankingLossOptions,
} from '../../../sdk/src/losses/cached-multiple-negatives-symmetric-ranking-loss';
import { MultipleNegativesSymmetricRankingLoss, multipleNegativesSymmetricRankingLoss } from '../../../sdk/src/losses/multiple-negatives-symmetric-ranking-loss';
import { assertAllClose, assertMatchesFixtureCase, randomColumns, valueAndEmbeddingGrads } from './gradient-checks';
import { ANCHORS, POSITIVES, assertSameGradients, batchOf, gradsToArrays, tinyStaticModel, tinyTransformerModel, trainSteps } from './tiny-models';
import { lossFixturesFor } from '../../reference/fixtures';

describe('CachedMultipleNegativesSymmetricRankingLoss', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('functional core equals the uncached one', () => {
    const cols = randomColumns(11, 2, 4, 3);
    const cached = valueAndEmbeddingGrads((e) => cachedMultipleNegativesSymmetricRankingLoss(e, undefined, { scale: 9, miniBatchSize: 1 }), cols);
    const plain = valueAndEmbeddingGrads((e) => multipleNegativesSymmetricRankingLoss(e, undefined, { scale: 9 }), cols);
    assert.equal(cached.value, plain.value);
    assert.deepEqual(cached.grads, plain.grads);
  });

  it('equal loss and parameter gradients to MultipleNegativesSymmetricRankingLoss (mini-batches of 4)', () => {
    const model = tinyTransformerModel({ seed: 6 });
    const batch = batchOf([ANCHORS, POSITIVES]);
    const plain = new MultipleNegativesSymmetricRankingLoss(model, { scale: 15 }).lossAndGradients(batch);
    const loss = new CachedMultipleNegativesSymmetricRankingLoss(model, { scale: 15, miniBatchSize: 4 });
    assert.deepEqual(loss.options.directions, ['query_to_doc', 'doc_to_query']);
    assert.equal(loss.options.partitionMode, 'per_direction');
    const cached = loss.lossAndGradients(batch);
    assertAllClose(cached.value.dataSync()[0], plain.value.dataSync()[0], { atol: 1e-6, rtol: 1e-6 });
    tf.dispose([plain.value, cached.value]);
    assertSameGradients(gradsToArrays(cached.grads), gradsToArrays(plain.grads), 1e-4);
    model.dispose();
  });

  it('trains with a flat tensor count; refuses StaticEmbedding', () => {
    const model = tinyTransformerModel({ seed: 7 });
    const values = trainSteps(new CachedMultipleNegativesSymmetricRankingLoss(model, { miniBatchSize: 3 }), batchOf([ANCHORS, POSITIVES]));
    assert.ok(values[values.length - 1] < values[0] * 0.5, `loss ${values.join(' → ')}`);
    model.dispose();
    const staticModel = tinyStaticModel();
    assert.throws(() => new CachedMultipleNegativesSymmetricRankingLoss(staticModel), /^Error: CachedMultipleNegativesSymmetricRankingLoss is not compatible with .* StaticEmbedding .*consider MultipleNegativesSymmetricRankingLoss instead$/);
    staticModel.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`cachedMultipleNegativesSymmetricRankingLoss reference fixtures (torch) on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('CachedMultipleNegativesSymmetricRankingLoss')) {
      it(c.name, () => assertMatchesFixtureCase((e) => cachedMultipleNegativesSymmetricRankingLoss(e, undefined, c.options as CachedMultipleNegativesSymmetricRankingLossOptions), c.inputs.embeddings, c.expected, c.name));
    }
  });
}
