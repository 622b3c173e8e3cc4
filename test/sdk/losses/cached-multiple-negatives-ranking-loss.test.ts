import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import {
  CachedMultipleNegativesRankingLoss,
  cachedMultipleNegativesRankingLoss,
  type CachedMultipleNegativesRankingLossOptions,
} from '../../../sdk/src/losses/cached-multiple-negatives-ranking-loss';
import { MultipleNegativesRankingLoss, multipleNegativesRankingLoss, type MultipleNegativesRankingLossOptions } from '../../../sdk/src/losses/multiple-negatives-ranking-loss';
import { miniBatchRanges, withReplayableRandomness } from '../../../sdk/src/losses/grad-cache';
import { Rng } from '../../../sdk/src/util/random';
import { assertAllClose, assertMatchesFixtureCase, randomColumns, valueAndEmbeddingGrads } from './gradient-checks';
import { ANCHORS, NEGATIVES, POSITIVES, assertSameGradients, batchOf, gradsToArrays, tinyStaticModel, tinyTransformerModel, trainSteps } from './tiny-models';
import { lossFixturesFor } from '../../reference/fixtures';

describe('cachedMultipleNegativesRankingLoss (functional)', () => {
  before(ready);
  it('equals MNRL for any miniBatchSize (value and embedding gradients)', () => {
    const cols = randomColumns(3, 3, 5, 4);
    const o: MultipleNegativesRankingLossOptions = { directions: ['query_to_doc', 'query_to_query'], hardnessMode: 'all_negatives', hardnessStrength: 2 };
    const cached = valueAndEmbeddingGrads((e) => cachedMultipleNegativesRankingLoss(e, undefined, { ...o, miniBatchSize: 2 }), cols);
    const plain = valueAndEmbeddingGrads((e) => multipleNegativesRankingLoss(e, undefined, o), cols);
    assert.equal(cached.value, plain.value);
    assert.deepEqual(cached.grads, plain.grads);
  });
  it('checks miniBatchSize and names itself in errors', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => cachedMultipleNegativesRankingLoss([a, a], undefined, { miniBatchSize: 2.5 }), /CachedMultipleNegativesRankingLoss: miniBatchSize must be a positive integer; got 2.5/);
    assert.throws(() => cachedMultipleNegativesRankingLoss([a]), /^Error: CachedMultipleNegativesRankingLoss expects \(anchor, positive\) pairs/);
    a.dispose();
  });
  it('miniBatchRanges covers the batch with a short last mini-batch', () => {
    assert.deepEqual(miniBatchRanges(5, 2), [[0, 2], [2, 4], [4, 5]]);
    assert.deepEqual(miniBatchRanges(4, 32), [[0, 4]]);
  });
});

describe('CachedMultipleNegativesRankingLoss (GradCache, tiny Transformer, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  for (const [what, o, miniBatchSize] of [
    ['defaults, mini-batches of 2', {}, 2],
    ['uneven mini-batches (4 + 2), every direction and hardness', { directions: ['query_to_doc', 'query_to_query', 'doc_to_query', 'doc_to_doc'], hardnessMode: 'in_batch_negatives', hardnessStrength: 3 }, 4],
  ] as [string, MultipleNegativesRankingLossOptions, number][]) {
    it(`equal loss and equal parameter gradients to MNRL: ${what}`, () => {
      // Dropout 0: the two losses then see the same embeddings (dropout is covered by the replay test below).
      const model = tinyTransformerModel({ seed: 3 });
      const batch = batchOf([ANCHORS, POSITIVES, NEGATIVES]);
      const plain = new MultipleNegativesRankingLoss(model, o).lossAndGradients(batch);
      const cached = new CachedMultipleNegativesRankingLoss(model, { ...o, miniBatchSize }).lossAndGradients(batch);
      assertAllClose(cached.value.dataSync()[0], plain.value.dataSync()[0], { atol: 1e-6, rtol: 1e-6 });
      tf.dispose([plain.value, cached.value]);
      const expected = gradsToArrays(plain.grads);
      assert.equal(Object.keys(expected).length, model.trainableWeights().length, 'every weight of the model gets a gradient');
      assertSameGradients(gradsToArrays(cached.grads), expected, 1e-4);
      model.dispose();
    });
  }

  it('with dropout, the re-embedding replays each mini-batch’s dropout masks (gradient of the same sampled network)', () => {
    const model = tinyTransformerModel({ seed: 4, dropout: 0.3 });
    const columns = [ANCHORS.slice(0, 5), POSITIVES.slice(0, 5)];
    const loss = new CachedMultipleNegativesRankingLoss(model, { miniBatchSize: 2 });
    loss.seedSource = new Rng(7);
    const cached = loss.lossAndGradients(batchOf(columns));
    // The same seeds drawn in the same order: one per mini-batch, column by column.
    const seedRng = new Rng(7);
    const seeds = columns.map((c) => miniBatchRanges(c.length, 2).map(() => Math.floor(seedRng.next() * 4294967296)));
    const expected = tf.variableGrads(() => {
      const embeddings = columns.map((texts, c) =>
        tf.concat(miniBatchRanges(texts.length, 2).map(([b, e], m) => withReplayableRandomness(seeds[c][m], () => model.embed(texts.slice(b, e), { training: true })))),
      ) as tf.Tensor2D[];
      return multipleNegativesRankingLoss(embeddings);
    }, model.trainableWeights());
    const noDropout = tf.tidy(() => multipleNegativesRankingLoss(columns.map((c) => model.embed(c))).dataSync()[0]);
    const value = cached.value.dataSync()[0];
    assert.ok(Math.abs(value - noDropout) > 1e-3, `dropout is active (${value} vs ${noDropout} without)`);
    assertAllClose(value, expected.value.dataSync()[0], { atol: 1e-6, rtol: 1e-6 });
    tf.dispose([cached.value, expected.value]);
    assertSameGradients(gradsToArrays(cached.grads), gradsToArrays(expected.grads), 1e-4);
    model.dispose();
  });

  it('withReplayableRandomness: same seed → same dropout, and Math.random is restored', () => {
    const original = Math.random;
    const x = tf.ones([1, 64]);
    const [a, b, c] = [5, 5, 6].map((s) => withReplayableRandomness(s, () => tf.dropout(x, 0.5)).arraySync());
    assert.deepEqual(a, b);
    assert.notDeepEqual(a, c);
    assert.equal(Math.random, original);
    assert.throws(() => withReplayableRandomness(1, () => { throw new Error('boom'); }), /boom/);
    assert.equal(Math.random, original);
    x.dispose();
  });

  it('trains: Adam steps lower the loss with a flat tensor count', () => {
    const model = tinyTransformerModel({ seed: 5, dropout: 0.1 });
    const values = trainSteps(new CachedMultipleNegativesRankingLoss(model, { miniBatchSize: 2 }), batchOf([ANCHORS, POSITIVES, NEGATIVES]));
    assert.ok(values[values.length - 1] < values[0] * 0.5, `loss ${values.join(' → ')}`);
    model.dispose();
  });

  it('refuses a StaticEmbedding model as the reference does; checks columns before embedding', () => {
    const staticModel = tinyStaticModel();
    assert.throws(
      () => new CachedMultipleNegativesRankingLoss(staticModel),
      /CachedMultipleNegativesRankingLoss is not compatible with a SentenceTransformer model based on a StaticEmbedding \(first module sentence_transformers.models.StaticEmbedding\); consider MultipleNegativesRankingLoss instead/,
    );
    staticModel.dispose();
    const model = tinyTransformerModel();
    assert.throws(() => new CachedMultipleNegativesRankingLoss(model, { miniBatchSize: 0 }), /miniBatchSize must be a positive integer; got 0/);
    assert.throws(() => new CachedMultipleNegativesRankingLoss(model).lossAndGradients(batchOf([ANCHORS], ['query'])), /\(at least 2 text columns\); got 1 \(query\)/);
    model.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`cachedMultipleNegativesRankingLoss reference fixtures (torch) on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('CachedMultipleNegativesRankingLoss')) {
      it(c.name, () => assertMatchesFixtureCase((e) => cachedMultipleNegativesRankingLoss(e, undefined, c.options as CachedMultipleNegativesRankingLossOptions), c.inputs.embeddings, c.expected, c.name));
    }
  });
}
