import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { multipleNegativesSymmetricRankingLoss, type MultipleNegativesSymmetricRankingLossOptions } from '../../../sdk/src/losses/multiple-negatives-symmetric-ranking-loss';
import { multipleNegativesRankingLoss } from '../../../sdk/src/losses/multiple-negatives-ranking-loss';
import {
  assertAllClose,
  assertMatchesFiniteDifferences,
  assertMatchesFixtureCase,
  cos,
  finiteDifferenceGrads64,
  logSumExp,
  mean,
  randomColumns,
  valueAndEmbeddingGrads,
  type Matrix,
} from './gradient-checks';
import { mnrlOracle } from './mnrl-oracle';
import { lossFixturesFor } from '../../reference/fixtures';

/** LOSSES.md's closed form: ½[lse_j(s·cos(a_i, D_j)) + lse_j(s·cos(a_j, p_i))] − s·cos(a_i, p_i), averaged. */
function symmetricOracle([a, ...docCols]: Matrix[], scale = 20): number {
  const docs = docCols.flat();
  return mean(a.map((ai, i) => 0.5 * (logSumExp(docs.map((d) => scale * cos(ai, d))) + logSumExp(a.map((aj) => scale * cos(aj, docCols[0][i])))) - scale * cos(ai, docCols[0][i])));
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`multipleNegativesSymmetricRankingLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    for (const columns of [2, 4]) {
      it(`matches the closed form and its gradient (${columns} columns)`, () => {
        const cols = randomColumns(30 + columns, columns, 4, 5);
        const { value, grads } = valueAndEmbeddingGrads((e) => multipleNegativesSymmetricRankingLoss(e), cols);
        assertAllClose(value, symmetricOracle(cols), { atol: 1e-4 });
        assertAllClose(grads, finiteDifferenceGrads64((c) => symmetricOracle(c), cols), { atol: 1e-4 });
      });
    }

    it('is the MNRL preset (query_to_doc + doc_to_query, per_direction), options passed through', () => {
      const cols = randomColumns(41, 3, 5, 4);
      const o = { scale: 7, similarityFct: 'dot_score' as const };
      const preset = valueAndEmbeddingGrads((e) => multipleNegativesSymmetricRankingLoss(e, undefined, o), cols);
      const general = valueAndEmbeddingGrads((e) => multipleNegativesRankingLoss(e, undefined, { ...o, directions: ['query_to_doc', 'doc_to_query'], partitionMode: 'per_direction' }), cols);
      assert.equal(preset.value, general.value);
      assert.deepEqual(preset.grads, general.grads);
      assertAllClose(preset.value, mnrlOracle(cols, { ...o, directions: ['query_to_doc', 'doc_to_query'], partitionMode: 'per_direction' }), { atol: 1e-3 });
    });

    it('batch of one: both CEs are over one logit, loss 0', () => {
      const { value } = valueAndEmbeddingGrads((e) => multipleNegativesSymmetricRankingLoss(e), [[[1, 2]], [[3, -1]]]);
      assert.equal(value, 0);
    });
  });
}

describe('multipleNegativesSymmetricRankingLoss checks', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('finite differences (float32, cpu)', () => {
    assertMatchesFiniteDifferences((e) => multipleNegativesSymmetricRankingLoss(e, undefined, { scale: 5 }), randomColumns(51, 3, 3, 4), 'MNSRL');
  });
  it('errors name the loss', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => multipleNegativesSymmetricRankingLoss([a]), /^Error: MultipleNegativesSymmetricRankingLoss expects \(anchor, positive\) pairs .*got 1$/);
    assert.throws(() => multipleNegativesSymmetricRankingLoss([a, a], undefined, { scale: -1 }), /MultipleNegativesSymmetricRankingLoss: scale must be a positive number; got -1/);
    a.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`multipleNegativesSymmetricRankingLoss reference fixtures (torch) on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('MultipleNegativesSymmetricRankingLoss')) {
      it(c.name, () => assertMatchesFixtureCase((e) => multipleNegativesSymmetricRankingLoss(e, undefined, c.options as MultipleNegativesSymmetricRankingLossOptions), c.inputs.embeddings, c.expected, c.name));
    }
  });
}
