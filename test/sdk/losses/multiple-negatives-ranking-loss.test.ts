import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import {
  MultipleNegativesRankingLoss,
  multipleNegativesRankingLoss,
  resolveMnrlOptions,
  type MultipleNegativesRankingLossOptions,
} from '../../../sdk/src/losses/multiple-negatives-ranking-loss';
import {
  assertAllClose,
  assertFlatTensorCount,
  assertMatchesFiniteDifferences,
  assertMatchesFixtureCase,
  finiteDifferenceGrads,
  finiteDifferenceGrads64,
  maxAbs,
  randomColumns,
  valueAndEmbeddingGrads,
  type Matrix,
} from './gradient-checks';
import { mnrlOracle } from './mnrl-oracle';
import { ANCHORS, NEGATIVES, POSITIVES, batchOf, tinyStaticModel, tinyTransformerModel, trainSteps } from './tiny-models';
import { lossFixturesFor } from '../../reference/fixtures';

const mnrl = (o: MultipleNegativesRankingLossOptions) => (e: tf.Tensor2D[]) => multipleNegativesRankingLoss(e, undefined, o);

/** Value and every embedding gradient against the float64 oracle (hardness penalty frozen, as the reference). */
function assertMatchesOracle(columns: Matrix[], o: MultipleNegativesRankingLossOptions, what: string): void {
  const { value, grads } = valueAndEmbeddingGrads(mnrl(o), columns);
  const expected = mnrlOracle(columns, o);
  assertAllClose(value, expected, { atol: 1e-4, rtol: 1e-5, what: `${what} value` });
  const expectedGrads = finiteDifferenceGrads64((cols) => mnrlOracle(cols, o, columns), columns);
  assertAllClose(grads, expectedGrads, { atol: 1e-4, rtol: 1e-4, what: `${what} gradient` });
}

const CONFIGS: [string, MultipleNegativesRankingLossOptions, number][] = [
  ['defaults, pairs', {}, 2],
  ['defaults, 3 negatives', {}, 5],
  ['dot_score scale 1', { similarityFct: 'dot_score', scale: 1 }, 3],
  ['euclidean_sim', { similarityFct: 'euclidean_sim', scale: 2 }, 3],
  ['manhattan_sim', { similarityFct: 'manhattan_sim', scale: 0.5 }, 3],
  ['symmetric per_direction', { directions: ['query_to_doc', 'doc_to_query'], partitionMode: 'per_direction' }, 3],
  ['symmetric joint', { directions: ['query_to_doc', 'doc_to_query'] }, 3],
  ['GTE: all four joint', { directions: ['query_to_doc', 'query_to_query', 'doc_to_query', 'doc_to_doc'] }, 4],
  ['query_to_query only', { directions: ['query_to_doc', 'query_to_query'], scale: 10 }, 2],
  ['doc_to_doc, 2 negatives', { directions: ['query_to_doc', 'doc_to_doc'], scale: 10 }, 4],
  ['hardness in_batch_negatives', { hardnessMode: 'in_batch_negatives', hardnessStrength: 9 }, 3],
  ['hardness hard_negatives', { hardnessMode: 'hard_negatives', hardnessStrength: 5 }, 4],
  ['hardness all_negatives + directions', { hardnessMode: 'all_negatives', hardnessStrength: 3, directions: ['query_to_doc', 'doc_to_query'], partitionMode: 'per_direction' }, 3],
  ['hardness mode with strength 0', { hardnessMode: 'all_negatives', hardnessStrength: 0 }, 3],
];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`multipleNegativesRankingLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: identity embeddings, dot_score, scale 1', () => {
      const eye = [[1, 0], [0, 1]];
      const { value, grads } = valueAndEmbeddingGrads(mnrl({ similarityFct: 'dot_score', scale: 1 }), [eye, eye]);
      // Each row: lse([1, 0]) − 1 = log(1 + e) − 1; softmax = [e, 1] / (1 + e).
      assertAllClose(value, Math.log(1 + Math.E) - 1, { atol: 1e-6 });
      // d/da_0 = (softmax_0 · P − p_0) / B = ([e, 1]/(1+e) − [1, 0]) / 2 = [−c, c], c = 1 / (2(1 + e)).
      const c = 1 / (2 * (1 + Math.E));
      assertAllClose(grads, [[[-c, c], [c, -c]], [[-c, c], [c, -c]]], { atol: 1e-6 });
    });

    for (const [what, options, columns] of CONFIGS) {
      it(`matches the float64 oracle: ${what}`, () => {
        assertMatchesOracle(randomColumns(columns * 7 + 1, columns, 4, 5), options, what);
      });
    }

    it('batch of one with pairs: CE of a single logit is 0, gradient 0 (as the reference)', () => {
      const { value, grads } = valueAndEmbeddingGrads(mnrl({}), [[[1, 2, 3]], [[-1, 0, 2]]]);
      assert.equal(value, 0);
      assertAllClose(grads, [[[0, 0, 0]], [[0, 0, 0]]], { atol: 0 });
    });

    it('batch of one with a negative and every direction: finite, as the oracle', () => {
      const cols = [[[1, 2, 3]], [[-1, 0, 2]], [[0.5, 0.5, -1]]];
      assertMatchesOracle(cols, { directions: ['query_to_doc', 'query_to_query', 'doc_to_query', 'doc_to_doc'] }, 'B=1');
    });

    it('zero vectors give a finite value and finite gradients (no NaN from normalisation)', () => {
      const cols = randomColumns(5, 3, 3, 4);
      cols[0][1] = [0, 0, 0, 0];
      cols[2][0] = [0, 0, 0, 0];
      const { value, grads } = valueAndEmbeddingGrads(mnrl({ directions: ['query_to_doc', 'query_to_query', 'doc_to_doc'] }), cols);
      assert.ok(Number.isFinite(value), `value ${value}`);
      assert.ok(grads.flat(2).every(Number.isFinite), 'every gradient entry finite');
      assertAllClose(value, mnrlOracle(cols, { directions: ['query_to_doc', 'query_to_query', 'doc_to_doc'] }), { atol: 1e-4 });
    });

    it('duplicate texts in a batch (identical rows) are just equal logits', () => {
      const cols = randomColumns(6, 2, 3, 4);
      cols[0][2] = cols[0][0].slice();
      cols[1][2] = cols[1][0].slice();
      assertMatchesOracle(cols, {}, 'duplicates');
    });

    it('float16-size scale (65504) stays finite and exact: lse is computed stably', () => {
      const cols = randomColumns(8, 3, 4, 5);
      const { value, grads } = valueAndEmbeddingGrads(mnrl({ scale: 65504 }), cols);
      assert.ok(Number.isFinite(value) && grads.flat(2).every(Number.isFinite));
      assertAllClose(value, mnrlOracle(cols, { scale: 65504 }), { rtol: 1e-4, atol: 1e-2 });
    });

    it('does not leak tensors', () => {
      const cols = randomColumns(9, 3, 4, 5);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(mnrl({ directions: ['query_to_doc', 'query_to_query', 'doc_to_query', 'doc_to_doc'], hardnessMode: 'all_negatives', hardnessStrength: 2 }), cols));
    });
  });
}

describe('multipleNegativesRankingLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  for (const [what, options, columns] of CONFIGS.filter(([, o]) => !o.hardnessMode)) {
    it(what, () => {
      const cols = randomColumns(columns * 11 + 3, columns, 3, 4);
      // Scale 20 makes the third derivative large for a 1e-2 step; the formula is scale-independent.
      assertMatchesFiniteDifferences(mnrl({ ...options, scale: Math.min(options.scale ?? 20, 5) }), cols, what);
    });
  }

  it('hardness penalty is stop-gradient: the gradient is NOT the derivative of the value', () => {
    const o: MultipleNegativesRankingLossOptions = { hardnessMode: 'in_batch_negatives', hardnessStrength: 9, scale: 5 };
    const cols = randomColumns(21, 3, 3, 4);
    const { grads } = valueAndEmbeddingGrads(mnrl(o), cols);
    const fd = finiteDifferenceGrads(mnrl(o), cols);
    // What sg() means: the penalty's similarities frozen at the unperturbed inputs.
    const frozenFd = finiteDifferenceGrads64((c) => mnrlOracle(c, o, cols), cols);
    assertAllClose(grads, frozenFd, { atol: 1e-2 * Math.max(1, maxAbs(frozenFd)), what: 'gradient vs frozen-penalty finite differences' });
    const gap = Math.max(...grads.flat(2).map((g, i) => Math.abs(g - fd.flat(2)[i])));
    assert.ok(gap > 0.05, `the forward-pass derivative should differ from the stop-gradient gradient; max gap ${gap}`);
  });
});

describe('multipleNegativesRankingLoss errors', () => {
  before(ready);
  it('names the loss, the expected columns and what was given', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => multipleNegativesRankingLoss([a]), /MultipleNegativesRankingLoss expects \(anchor, positive\) pairs or \(anchor, positive, negative_1, \.\.\., negative_n\) tuples \(at least 2 text columns\); got 1/);
    const b = tf.zeros([3, 3]) as tf.Tensor2D;
    assert.throws(() => multipleNegativesRankingLoss([a, b]), /MultipleNegativesRankingLoss: embedding column 1 has 3 rows, column 0 has 2/);
    tf.dispose([a, b]);
  });
  it('checks options as the reference constructor does', () => {
    assert.throws(() => resolveMnrlOptions({ scale: 0 }), /scale must be a positive number; got 0/);
    assert.throws(() => resolveMnrlOptions({ directions: [] }), /at least one direction/);
    assert.throws(() => resolveMnrlOptions({ directions: ['doc_to_query'] }), /must include 'query_to_doc'/);
    assert.throws(() => resolveMnrlOptions({ directions: ['query_to_doc', 'sideways' as 'doc_to_doc'] }), /unknown directions 'sideways'/);
    assert.throws(() => resolveMnrlOptions({ directions: ['query_to_doc', 'query_to_query'], partitionMode: 'per_direction' }), /per_direction.*'joint'/);
    assert.throws(() => resolveMnrlOptions({ hardnessMode: 'hardest' as 'hard_negatives' }), /hardnessMode must be null or one of/);
    assert.throws(() => resolveMnrlOptions({ hardnessStrength: -1 }), /hardnessStrength must be non-negative; got -1/);
    assert.throws(() => resolveMnrlOptions({ similarityFct: 'cosine' as 'cos_sim' }), /similarityFct 'cosine' is not one of cos_sim/);
    assert.deepEqual(resolveMnrlOptions(), { scale: 20, similarityFct: 'cos_sim', directions: ['query_to_doc'], partitionMode: 'joint', hardnessMode: null, hardnessStrength: 0 });
  });
});

describe('MultipleNegativesRankingLoss class (tiny Transformer, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('computes the functional core on the model embeddings of every column', () => {
    const model = tinyTransformerModel();
    const loss = new MultipleNegativesRankingLoss(model, { scale: 10, directions: ['query_to_doc', 'doc_to_query'] });
    const batch = batchOf([ANCHORS.slice(0, 4), POSITIVES.slice(0, 4), NEGATIVES.slice(0, 4)]);
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batch).arraySync(),
      multipleNegativesRankingLoss([ANCHORS, POSITIVES, NEGATIVES].map((c) => model.embed(c.slice(0, 4))), undefined, { scale: 10, directions: ['query_to_doc', 'doc_to_query'] }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    assert.equal(loss.name, 'MultipleNegativesRankingLoss');
    assert.throws(() => new MultipleNegativesRankingLoss(model, { scale: -2 }), /MultipleNegativesRankingLoss: scale must be a positive number; got -2/);
    model.dispose();
  });

  it('trains: Adam steps lower the loss with a flat tensor count', () => {
    const model = tinyTransformerModel();
    const values = trainSteps(new MultipleNegativesRankingLoss(model), batchOf([ANCHORS, POSITIVES, NEGATIVES]));
    assert.ok(values[values.length - 1] < values[0] * 0.5, `loss ${values.join(' → ')}`);
    model.dispose();
  });

  it('errors name the columns the batch had', () => {
    const model = tinyStaticModel();
    assert.throws(() => new MultipleNegativesRankingLoss(model).forward(batchOf([ANCHORS], ['sentence'])), /MultipleNegativesRankingLoss expects \(anchor, positive\) pairs .*\(at least 2 text columns\); got 1 \(sentence\)$/);
    model.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`multipleNegativesRankingLoss reference fixtures (torch) on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('MultipleNegativesRankingLoss')) {
      it(c.name, () => assertMatchesFixtureCase((e) => multipleNegativesRankingLoss(e, undefined, c.options as MultipleNegativesRankingLossOptions), c.inputs.embeddings, c.expected, c.name));
    }
  });
}
