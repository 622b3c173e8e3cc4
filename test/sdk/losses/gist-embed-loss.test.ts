import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { GISTEmbedLoss, gistEmbedLoss, type GISTEmbedLossOptions } from '../../../sdk/src/losses/gist-embed-loss';
import { cachedGistEmbedLoss } from '../../../sdk/src/losses/cached-gist-embed-loss';
import {
  assertAllClose,
  assertFlatTensorCount,
  assertMatchesFiniteDifferences,
  assertMatchesFixtureCase,
  finiteDifferenceGrads64,
  randomColumns,
  valueAndEmbeddingGrads,
  type Matrix,
} from './gradient-checks';
import { gistOracle } from './gist-oracle';
import { ANCHORS, NEGATIVES, POSITIVES, batchOf, tinyStaticModel, tinyTransformerModel, trainSteps } from './tiny-models';
import { lossFixturesFor } from '../../reference/fixtures';

function withGuide(guide: Matrix[], o: GISTEmbedLossOptions = {}, cached = false) {
  return (e: tf.Tensor2D[]) => {
    const g = guide.map((m) => tf.tensor2d(m));
    try {
      return (cached ? cachedGistEmbedLoss : gistEmbedLoss)(e, undefined, { ...o, guideEmbeddings: g });
    } finally {
      tf.dispose(g);
    }
  };
}

/** Model embeddings, and guide embeddings = the model's plus noise (dimension 3, unlike the model's 4). */
function inputs(seed: number, columns: number, rows = 5): { cols: Matrix[]; guide: Matrix[] } {
  const cols = randomColumns(seed, columns, rows, 4);
  const noise = randomColumns(seed + 1000, columns, rows, 3);
  return { cols, guide: cols.map((c, k) => c.map((r, i) => r.slice(0, 3).map((v, j) => v + 0.8 * noise[k][i][j]))) };
}

const CONFIGS: [string, GISTEmbedLossOptions, number][] = [
  ['defaults, pairs', {}, 2],
  ['defaults, triplets', {}, 3],
  ['absolute margin 0.1, temperature 0.05', { margin: 0.1, temperature: 0.05 }, 3],
  ['relative margin 0.2', { marginStrategy: 'relative', margin: 0.2, temperature: 0.1 }, 3],
  ['no anchor / positive contrast', { contrastAnchors: false, contrastPositives: false, temperature: 0.1 }, 3],
  ['negative margin keeps more candidates', { margin: -0.5, temperature: 0.1 }, 2],
];

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`gistEmbedLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: the guide masks the candidate it scores above the positive', () => {
      // Model: a = [[1,0],[0,1]], p = [[1,0],[1,1]]; guide says a_0 is closer to p_1 than to p_0.
      const a = [[1, 0], [0, 1]];
      const p = [[1, 0], [1, 1]];
      const ga = [[1, 0], [0, 1]];
      const gp = [[0.6, 0.8], [0, 1]];
      const o = { contrastAnchors: false, contrastPositives: false, temperature: 1 };
      const { value } = valueAndEmbeddingGrads(withGuide([ga, gp], o), [a, p]);
      // Row 0: t = 0.6, guide cos(a_0, p_1) = 0 ≤ 0.6 kept: lse([1, 1/√2]) − 1.
      // Row 1: t = 1, guide cos(a_1, p_0) = 0.8 kept: lse([0, 1/√2]) − 1/√2.
      const r = Math.SQRT1_2;
      const expected = 0.5 * (Math.log(Math.E + Math.exp(r)) - 1 + Math.log(1 + Math.exp(r)) - r);
      assertAllClose(value, expected, { atol: 1e-6 });
      // Guide p = [[0.6, 0.8], [0.8, 0.6]]: row 0 has t = 0.6 and guide cos(a_0, p_1) = 0.8 > 0.6; row 1 has
      // t = 0.6 and guide cos(a_1, p_0) = 0.8 > 0.6. Both rows keep only their positive: CE of one logit = 0.
      const masked = valueAndEmbeddingGrads(withGuide([ga, [[0.6, 0.8], [0.8, 0.6]]], o), [a, p]);
      assertAllClose(masked.value, 0, { atol: 1e-7 });
      assertAllClose(masked.grads, [[[0, 0], [0, 0]], [[0, 0], [0, 0]]], { atol: 1e-7 });
    });

    for (const [what, o, columns] of CONFIGS) {
      it(`matches the float64 oracle: ${what}`, () => {
        const { cols, guide } = inputs(columns * 13 + what.length, columns);
        const { value, grads } = valueAndEmbeddingGrads(withGuide(guide, o), cols);
        assertAllClose(value, gistOracle(cols, guide, o), { atol: 1e-4, rtol: 1e-5, what: `${what} value` });
        assertAllClose(grads, finiteDifferenceGrads64((c) => gistOracle(c, guide, o), cols), { atol: 2e-4, rtol: 1e-4, what: `${what} gradient` });
      });
    }

    it('the cached functional core gives the same numbers and takes several negatives', () => {
      const { cols, guide } = inputs(77, 4);
      const { value, grads } = valueAndEmbeddingGrads(withGuide(guide, { temperature: 0.05 }, true), cols);
      assertAllClose(value, gistOracle(cols, guide, { temperature: 0.05 }), { atol: 1e-4 });
      assertAllClose(grads, finiteDifferenceGrads64((c) => gistOracle(c, guide, { temperature: 0.05 }), cols), { atol: 2e-4, rtol: 1e-4 });
    });

    it('batch of one: loss 0, finite; duplicates and zero vectors stay finite', () => {
      const one = valueAndEmbeddingGrads(withGuide([[[1, 2]], [[2, 1]]]), [[[1, 0]], [[0.5, 0.5]]]);
      assert.equal(one.value, 0);
      const { cols, guide } = inputs(78, 3);
      cols[1][2] = cols[1][0].slice();
      guide[1][2] = guide[1][0].slice();
      cols[0][3] = [0, 0, 0, 0];
      const r = valueAndEmbeddingGrads(withGuide(guide), cols);
      assert.ok(Number.isFinite(r.value) && r.grads.flat(2).every(Number.isFinite), `value ${r.value}`);
      assertAllClose(r.value, gistOracle(cols, guide), { atol: 1e-3, rtol: 1e-5 });
    });

    it('does not leak tensors', () => {
      const { cols, guide } = inputs(79, 3);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(withGuide(guide), cols));
    });
  });
}

describe('gistEmbedLoss checks', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('finite differences (float32, cpu): the guide mask is piecewise constant', () => {
    const { cols, guide } = inputs(91, 3, 3);
    assertMatchesFiniteDifferences(withGuide(guide, { temperature: 0.2 }), cols, 'GIST');
  });
  it('errors: columns, missing or mismatched guide embeddings, options', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    const g = tf.zeros([2, 5]) as tf.Tensor2D;
    assert.throws(() => gistEmbedLoss([a], undefined, { guideEmbeddings: [g] }), /GISTEmbedLoss expects \(anchor, positive\) pairs or \(anchor, positive, negative\) triplets \(2 to 3 text columns\); got 1/);
    assert.throws(() => gistEmbedLoss([a, a, a, a], undefined, { guideEmbeddings: [g, g, g, g] }), /2 to 3 text columns\); got 4/);
    assert.throws(() => gistEmbedLoss([a, a]), /GISTEmbedLoss needs the guide model's embeddings \(options.guideEmbeddings, one per column\); got none/);
    assert.throws(() => gistEmbedLoss([a, a], undefined, { guideEmbeddings: [g] }), /one matrix per column \(2\); got 1/);
    const short = tf.zeros([3, 5]) as tf.Tensor2D;
    assert.throws(() => gistEmbedLoss([a, a], undefined, { guideEmbeddings: [g, short] }), /guide embedding column 1 must be \[2, d\]; got shape \[3,5\]/);
    assert.throws(() => gistEmbedLoss([a, a], undefined, { guideEmbeddings: [g, g], marginStrategy: 'percent' as 'relative' }), /marginStrategy must be 'absolute' or 'relative'; got 'percent'/);
    assert.throws(() => cachedGistEmbedLoss([a, a], undefined, { guideEmbeddings: [g, g], miniBatchSize: 0 }), /CachedGISTEmbedLoss: miniBatchSize must be a positive integer; got 0/);
    tf.dispose([a, g, short]);
  });
});

describe('GISTEmbedLoss class (tiny Transformer + StaticEmbedding guide, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('uses the guide’s embeddings (its own tokenizer and dimension) and the model’s, like the functional core', () => {
    const model = tinyTransformerModel({ seed: 8 });
    const guide = tinyStaticModel(2);
    const loss = new GISTEmbedLoss(model, { guide, temperature: 0.05 });
    const columns = [ANCHORS.slice(0, 4), POSITIVES.slice(0, 4), NEGATIVES.slice(0, 4)];
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf(columns)).arraySync(),
      gistEmbedLoss(columns.map((c) => model.embed(c)), undefined, { temperature: 0.05, guideEmbeddings: columns.map((c) => guide.embed(c)) }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-5 });
    model.dispose();
    guide.dispose();
  });

  it('the guide never gets gradients and stays frozen while the model trains (loss decreases, flat tensors)', () => {
    const model = tinyTransformerModel({ seed: 9 });
    const guide = tinyStaticModel(3);
    const guideBefore = guide.trainableWeights().map((v) => Array.from(v.dataSync()));
    const loss = new GISTEmbedLoss(model, { guide, temperature: 0.05 });
    const { value, grads } = loss.lossAndGradients(batchOf([ANCHORS, POSITIVES]));
    const guideNames = new Set(guide.trainableWeights().map((v) => v.name));
    assert.ok(Object.keys(grads).every((n) => !guideNames.has(n)), 'no gradient for a guide variable');
    assert.equal(Object.keys(grads).length, model.trainableWeights().length);
    tf.dispose([value, ...Object.values(grads)]);
    const values = trainSteps(loss, batchOf([ANCHORS, POSITIVES, NEGATIVES]));
    assert.ok(values[values.length - 1] < values[0] * 0.5, `loss ${values.join(' → ')}`);
    assert.deepEqual(guide.trainableWeights().map((v) => Array.from(v.dataSync())), guideBefore);
    model.dispose();
    guide.dispose();
  });

  it('errors: no guide, wrong columns (named), computeFromEmbeddings without the guide’s embeddings', () => {
    const model = tinyStaticModel();
    assert.throws(() => new GISTEmbedLoss(model, {} as { guide: never }), /GISTEmbedLoss needs a guide model: new GISTEmbedLoss\(model, \{ guide \}\)/);
    const loss = new GISTEmbedLoss(model, { guide: model });
    assert.throws(() => loss.forward(batchOf([ANCHORS, POSITIVES, NEGATIVES, NEGATIVES], ['q', 'p', 'n1', 'n2'])), /GISTEmbedLoss expects \(anchor, positive\) pairs or \(anchor, positive, negative\) triplets \(2 to 3 text columns\); got 4 \(q, p, n1, n2\)/);
    const e = [tf.zeros([2, 16]), tf.zeros([2, 16])] as tf.Tensor2D[];
    assert.throws(() => loss.computeFromEmbeddings(e), /GISTEmbedLoss.computeFromEmbeddings needs the guide's embeddings of the same batch/);
    tf.dispose(e);
    model.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`gistEmbedLoss reference fixtures (torch) on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('GISTEmbedLoss')) {
      it(c.name, () => assertMatchesFixtureCase(withGuide(c.inputs.guideEmbeddings!, c.options as GISTEmbedLossOptions), c.inputs.embeddings, c.expected, c.name));
    }
  });
}
