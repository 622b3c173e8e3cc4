import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { MatryoshkaLoss, matryoshkaLoss, resolveMatryoshkaOptions, type MatryoshkaLossOptions } from '../../../sdk/src/losses/matryoshka-loss';
import { MultipleNegativesRankingLoss, multipleNegativesRankingLoss } from '../../../sdk/src/losses/multiple-negatives-ranking-loss';
import type { Batch, LossValueAndGradients, SentenceLoss } from '../../../sdk/src/losses/loss';
import { CachedMultipleNegativesRankingLoss } from '../../../sdk/src/losses/cached-multiple-negatives-ranking-loss';
import { GISTEmbedLoss, gistEmbedLoss } from '../../../sdk/src/losses/gist-embed-loss';
import type { EmbeddingLossFn } from '../../../sdk/src/losses/wrapped-loss';
import { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { StaticEmbedding } from '../../../sdk/src/modules';
import { defaultTokenizer } from '../../../sdk/src/tokenizers';
import { Rng } from '../../../sdk/src/util/random';
import {
  assertAllClose,
  assertFlatTensorCount,
  assertMatchesFiniteDifferences,
  finiteDifferenceGrads64,
  lossValue,
  randomColumns,
  valueAndEmbeddingGrads,
  type Matrix,
} from './gradient-checks';
import { mnrlOracle } from './mnrl-oracle';
import { shrink64 } from './modifier-oracles';
import { tinyTransformerModel } from './tiny-models';
import { ReplayedSamples } from './replay-random';
import { checkModifierFixture } from './modifier-fixtures';
import { lossFixturesFor } from '../../reference/fixtures';

process.env.SENTENCE_TFJS_QUIET = '1';

const sumOfColumn0: EmbeddingLossFn = (e) => tf.sum(e[0]);
const matryoshka = (o: Omit<MatryoshkaLossOptions, 'innerLoss'>, inner: EmbeddingLossFn = sumOfColumn0) => (e: tf.Tensor2D[]) =>
  matryoshkaLoss(e, undefined, { ...o, innerLoss: inner });


for (const backend of ['wasm', 'cpu'] as const) {
  describe(`matryoshkaLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived: weights follow their dims when the dims are sorted descending', () => {
      // Row [3, 4, 0, 12]: at 4 dims the normalised sum is 19/13, at 2 dims (3 + 4)/5 = 7/5.
      const v = lossValue(matryoshka({ matryoshkaDims: [2, 4], matryoshkaWeights: [10, 1] }), [[[3, 4, 0, 12]]]);
      assert.ok(Math.abs(v - (19 / 13 + 10 * 7 / 5)) < 1e-5, `got ${v}`);
    });

    it('normalises at the full dimension too', () => {
      const v = lossValue(matryoshka({ matryoshkaDims: [4] }), [[[3, 4, 0, 12]]]);
      assert.ok(Math.abs(v - 19 / 13) < 1e-6, `got ${v}`);
    });

    it('a row that is zero in the kept dims stays zero: finite value, finite gradient', () => {
      const { value, grads } = valueAndEmbeddingGrads(matryoshka({ matryoshkaDims: [2, 3] }), [[[0, 0, 5], [1, 0, 0]]]);
      assert.ok(Math.abs(value - 3) < 1e-6, `got ${value}`); // dim 3: 1 + 1; dim 2: 0 + 1
      assert.ok(grads.flat(2).every(Number.isFinite), `gradient ${JSON.stringify(grads)}`);
    });

    it('truncates [B, embedding dim] labels with the embeddings and passes other labels unchanged', () => {
      const seen: string[] = [];
      const inner: EmbeddingLossFn = (e, l) => {
        seen.push(`${e[0].shape[1]}:${l ? `[${l.shape}]=${JSON.stringify(l.arraySync())}` : 'none'}`);
        return tf.sum(e[0]);
      };
      tf.tidy(() => {
        const e = [tf.tensor2d([[1, 2, 3, 4]])];
        matryoshkaLoss(e, tf.tensor2d([[5, 6, 7, 8]]), { innerLoss: inner, matryoshkaDims: [4, 2] });
        matryoshkaLoss(e, tf.tensor2d([[5, 6, 7]]), { innerLoss: inner, matryoshkaDims: [2] });
        matryoshkaLoss(e, tf.tensor1d([9]), { innerLoss: inner, matryoshkaDims: [2] });
        matryoshkaLoss(e, undefined, { innerLoss: inner, matryoshkaDims: [3] });
      });
      assert.deepEqual(seen, ['4:[1,4]=[[5,6,7,8]]', '2:[1,2]=[[5,6]]', '2:[1,3]=[[5,6,7]]', '2:[1]=[9]', '3:none']);
    });

    it('nDimsPerStep draws dim indices with the random source and uses them largest dim first', () => {
      const dimsSeen: number[] = [];
      const inner: EmbeddingLossFn = (e) => {
        dimsSeen.push(e[0].shape[1]);
        return tf.sum(e[0]);
      };
      const rng = new ReplayedSamples([[2, 0]]);
      tf.tidy(() => void matryoshkaLoss([tf.ones([2, 8])], undefined, { innerLoss: inner, matryoshkaDims: [2, 8, 4], nDimsPerStep: 2, rng }));
      assert.deepEqual(rng.requests, [[3, 2]]);
      assert.deepEqual(dimsSeen, [8, 2]);
      // -1, 0 and k ≥ #dims use every dim without drawing.
      for (const nDimsPerStep of [-1, 0, 3, 5]) {
        dimsSeen.length = 0;
        const none = new ReplayedSamples([]);
        tf.tidy(() => void matryoshkaLoss([tf.ones([2, 8])], undefined, { innerLoss: inner, matryoshkaDims: [2, 8, 4], nDimsPerStep, rng: none }));
        assert.deepEqual(dimsSeen, [8, 4, 2], `nDimsPerStep ${nDimsPerStep}`);
        assert.deepEqual(none.requests, []);
      }
    });

    it('a seeded Rng gives reproducible draws', () => {
      const draw = (seed: number) => {
        const dims: number[] = [];
        const inner: EmbeddingLossFn = (e) => (dims.push(e[0].shape[1]), tf.sum(e[0]));
        const rng = new Rng(seed);
        for (let i = 0; i < 5; i++) tf.tidy(() => void matryoshkaLoss([tf.ones([1, 16])], undefined, { innerLoss: inner, matryoshkaDims: [16, 8, 4, 2], nDimsPerStep: 1, rng }));
        return dims;
      };
      assert.deepEqual(draw(7), draw(7));
      assert.equal(draw(7).length, 5);
    });

    it('wrapping MNRL with dot_score matches a float64 oracle (value and gradients)', () => {
      const columns = randomColumns(11, 3, 4, 6);
      const o = { matryoshkaDims: [2, 6, 3], matryoshkaWeights: [2, 1, 0.5] };
      const inner: EmbeddingLossFn = (e) => multipleNegativesRankingLoss(e, undefined, { similarityFct: 'dot_score', scale: 1 });
      const oracle = (cols: Matrix[]) =>
        [6, 3, 2].reduce((s, dim, i) => s + [1, 0.5, 2][i] * mnrlOracle(cols.map((c) => shrink64(c, dim)), { similarityFct: 'dot_score', scale: 1 }), 0);
      const { value, grads } = valueAndEmbeddingGrads(matryoshka(o, inner), columns);
      assertAllClose(value, oracle(columns), { atol: 1e-5, rtol: 1e-5, what: 'value' });
      assertAllClose(grads, finiteDifferenceGrads64(oracle, columns), { atol: 1e-4, rtol: 1e-4, what: 'gradient' });
      assertMatchesFiniteDifferences(matryoshka(o, inner), columns, 'Matryoshka(MNRL)');
    });

    it('leaves no tensors behind', () => {
      const columns = randomColumns(3, 2, 3, 4).map((c) => tf.tensor2d(c));
      const inner: EmbeddingLossFn = (e) => multipleNegativesRankingLoss(e);
      assertFlatTensorCount(() => {
        const { value, grads } = tf.valueAndGrads((...e: tf.Tensor[]) => matryoshkaLoss(e as tf.Tensor2D[], undefined, { innerLoss: inner, matryoshkaDims: [4, 2] }))(columns);
        tf.dispose([value, ...grads]);
      });
      tf.dispose(columns);
    });

    it('rejects bad arguments with messages that name them', () => {
      const e = [tf.ones([1, 4]) as tf.Tensor2D];
      const run = (o: Partial<MatryoshkaLossOptions>) => () => matryoshkaLoss(e, undefined, { innerLoss: sumOfColumn0, matryoshkaDims: [4], ...o });
      assert.throws(run({ matryoshkaDims: [] }), /MatryoshkaLoss: matryoshkaDims must list at least one dimension; got \[\]/);
      assert.throws(run({ matryoshkaDims: [4, 0] }), /every matryoshkaDims entry must be a positive integer; got 0/);
      assert.throws(run({ matryoshkaDims: [2.5] }), /positive integer; got 2.5/);
      assert.throws(run({ matryoshkaWeights: [1, 2] }), /matryoshkaWeights must have one weight per dim \(1\); got 2/);
      assert.throws(run({ nDimsPerStep: 1.5 }), /nDimsPerStep must be an integer/);
      assert.throws(run({ matryoshkaDims: [8, 2] }), /matryoshkaDims entry 8 exceeds the embedding dimension 4 of column 0/);
      assert.throws(() => matryoshkaLoss([], undefined, { innerLoss: sumOfColumn0, matryoshkaDims: [4] }), /at least one embedding column; got 0/);
      tf.dispose(e);
    });
  });
}

describe('resolveMatryoshkaOptions', () => {
  it('sorts dims descending and keeps equal dims in their order (stable, as Python sorted)', () => {
    const r = resolveMatryoshkaOptions({ matryoshkaDims: [64, 256, 128, 256], matryoshkaWeights: [1, 2, 3, 4] });
    assert.deepEqual(r, { dims: [256, 256, 128, 64], weights: [2, 4, 3, 1], nDimsPerStep: -1 });
    assert.deepEqual(resolveMatryoshkaOptions({ matryoshkaDims: [8, 16] }).weights, [1, 1]);
  });
});

describe('MatryoshkaLoss (class) on wasm', () => {
  const tok = defaultTokenizer();
  const batch: Batch = {
    columns: [
      ['a cat sits', 'dogs bark loudly', 'the sun is hot', 'rain falls'],
      ['a kitten rests', 'a dog is barking', 'it is sunny', 'it is raining'],
    ],
    columnNames: ['anchor', 'positive'],
  };
  const model = () => new SentenceTransformer([StaticEmbedding.random(tok, { dim: 16, seed: 1 })]);

  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('forward equals the functional core on the model embeddings', () => {
    const m = model();
    const loss = new MatryoshkaLoss(m, new MultipleNegativesRankingLoss(m), { matryoshkaDims: [4, 16, 8], matryoshkaWeights: [1, 2, 3] });
    assert.deepEqual(loss.matryoshkaDims, [16, 8, 4]);
    assert.deepEqual(loss.matryoshkaWeights, [2, 3, 1]);
    const [got, expected] = tf.tidy(() => {
      const e = batch.columns.map((t) => m.embed(t));
      const f = matryoshkaLoss(e, undefined, { innerLoss: (x) => multipleNegativesRankingLoss(x), matryoshkaDims: [4, 16, 8], matryoshkaWeights: [1, 2, 3] });
      return [loss.forward(batch).arraySync() as number, f.arraySync() as number];
    });
    assert.ok(Math.abs(got - expected) < 1e-5, `${got} vs ${expected}`);
    m.dispose();
  });

  it('trains: the loss decreases over SGD steps and the tensor count stays flat', () => {
    const m = model();
    const loss = new MatryoshkaLoss(m, new MultipleNegativesRankingLoss(m), { matryoshkaDims: [16, 8, 4], nDimsPerStep: 2 });
    assert.deepEqual(loss.trainableWeights(), m.trainableWeights());
    const opt = tf.train.sgd(0.5);
    const values: number[] = [];
    const step = () => {
      const { value, grads }: LossValueAndGradients = loss.lossAndGradients(batch);
      opt.applyGradients(grads);
      values.push(value.arraySync() as number);
      tf.dispose([value, ...Object.values(grads)]);
    };
    assertFlatTensorCount(step, 8, 'MatryoshkaLoss step');
    // Random dims per step change the objective, so compare the full-dims loss before and after.
    assert.ok(values.every(Number.isFinite));
    const full = new MatryoshkaLoss(m, new MultipleNegativesRankingLoss(m), { matryoshkaDims: [16, 8, 4] });
    const after = tf.tidy(() => full.forward(batch).arraySync() as number);
    const fresh = model();
    const before = tf.tidy(() => new MatryoshkaLoss(fresh, new MultipleNegativesRankingLoss(fresh), { matryoshkaDims: [16, 8, 4] }).forward(batch).arraySync() as number);
    assert.ok(after < before - 0.1, `loss ${before} → ${after}`);
    opt.dispose();
    m.dispose();
    fresh.dispose();
  });

  it('refuses dims larger than the model', () => {
    const m = model();
    assert.throws(() => new MatryoshkaLoss(m, new MultipleNegativesRankingLoss(m), { matryoshkaDims: [32, 16] }), /matryoshkaDims entry 32 exceeds the model's embedding dimension 16/);
    m.dispose();
  });
});

describe('MatryoshkaLoss around losses with their own forward or backward pass (wasm)', () => {
  const batch: Batch = {
    columns: [
      ['a cat sits', 'dogs bark loudly', 'the sun is hot', 'rain falls', 'snow is cold'],
      ['a kitten rests', 'a dog is barking', 'it is sunny', 'it is raining', 'it snows'],
    ],
    columnNames: ['anchor', 'positive'],
  };
  const transformer = (seed: number) => tinyTransformerModel({ seed });
  const dims = { matryoshkaDims: [32, 8, 4], matryoshkaWeights: [1, 0.5, 2] };
  const run = (loss: SentenceLoss) => {
    const { value, grads } = loss.lossAndGradients(batch);
    const out = { value: value.arraySync() as number, grads: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, Array.from(g.dataSync())])) };
    tf.dispose([value, ...Object.values(grads)]);
    return out;
  };

  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('CachedMultipleNegativesRankingLoss: truncation on the cached embeddings gives the value and gradients of MNRL', () => {
    const m = transformer(4);
    const cached = new MatryoshkaLoss(m, new CachedMultipleNegativesRankingLoss(m, { miniBatchSize: 2 }), dims);
    const plain = new MatryoshkaLoss(m, new MultipleNegativesRankingLoss(m), dims);
    const a = run(cached);
    const b = run(plain);
    assert.ok(Math.abs(a.value - b.value) < 1e-5, `${a.value} vs ${b.value}`);
    assert.deepEqual(Object.keys(a.grads).sort(), Object.keys(b.grads).sort());
    for (const k of Object.keys(b.grads)) assertAllClose(a.grads[k], b.grads[k], { atol: 1e-5, rtol: 1e-4, what: k });
    assert.equal(Object.prototype.hasOwnProperty.call(cached.loss, 'computeFromEmbeddings'), false, 'the substitution is undone');
    assertFlatTensorCount(() => void run(cached), 2, 'Matryoshka(CachedMNRL) step');
    m.dispose();
  });

  it('GISTEmbedLoss: the guide embeds the untruncated texts, the model embeddings are truncated', () => {
    const m = transformer(6);
    const guide = transformer(7);
    const loss = new MatryoshkaLoss(m, new GISTEmbedLoss(m, { guide }), dims);
    const expected = tf.tidy(() => {
      const e = batch.columns.map((t) => m.embed(t));
      const g = batch.columns.map((t) => guide.embed(t));
      return matryoshkaLoss(e, undefined, { ...dims, innerLoss: (x) => gistEmbedLoss(x, undefined, { guideEmbeddings: g }) }).arraySync() as number;
    });
    const forward = tf.tidy(() => loss.forward(batch).arraySync() as number);
    assert.ok(Math.abs(forward - expected) < 1e-4, `forward ${forward} vs ${expected}`);
    const { value } = run(loss);
    assert.ok(Math.abs(value - expected) < 1e-4, `lossAndGradients ${value} vs ${expected}`);
    m.dispose();
    guide.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`MatryoshkaLoss against the torch reference fixtures on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('MatryoshkaLoss')) {
      it(c.name, (t) => {
        if (!checkModifierFixture(c, matryoshkaLoss)) t.skip(`the wrapped ${c.inner!.loss} is not written yet`);
      });
    }
  });
}
