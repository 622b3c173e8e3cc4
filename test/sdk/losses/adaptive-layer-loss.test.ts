import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { AdaptiveLayerLoss, adaptiveLayerLoss, layerWeight, type AdaptiveLayerLossOptions } from '../../../sdk/src/losses/adaptive-layer-loss';
import { MultipleNegativesRankingLoss, multipleNegativesRankingLoss } from '../../../sdk/src/losses/multiple-negatives-ranking-loss';
import type { Batch } from '../../../sdk/src/losses/loss';
import { CachedMultipleNegativesRankingLoss } from '../../../sdk/src/losses/cached-multiple-negatives-ranking-loss';
import { GISTEmbedLoss, gistEmbedLoss } from '../../../sdk/src/losses/gist-embed-loss';
import type { EmbeddingLossFn } from '../../../sdk/src/losses/wrapped-loss';
import { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { StaticEmbedding } from '../../../sdk/src/modules';
import { defaultTokenizer } from '../../../sdk/src/tokenizers';
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
import { ReplayedSamples } from './replay-random';
import { klBatchmean64 } from './modifier-oracles';
import { tinyTransformerModel, trainSteps } from './tiny-models';
import { checkModifierFixture } from './modifier-fixtures';
import { lossFixturesFor } from '../../reference/fixtures';

process.env.SENTENCE_TFJS_QUIET = '1';

const sumAll: EmbeddingLossFn = (e) => tf.addN(e.map((x) => tf.sum(x))) as tf.Scalar;
const adaptive = (o: Omit<AdaptiveLayerLossOptions, 'innerLoss'>, inner: EmbeddingLossFn = sumAll) => (e: tf.Tensor2D[]) =>
  adaptiveLayerLoss(e, undefined, { ...o, innerLoss: inner });

/** float64 oracle of LOSSES.md's AdaptiveLayerLoss; `frozen` supplies the KL target (no gradient in the reference). */
function adaptiveOracle(
  embeddings: Matrix[],
  o: { numLayers: number; layers: number[]; inner: (cols: Matrix[]) => number; lastLayerWeight?: number; priorLayersWeight?: number; klDivWeight?: number; klTemperature?: number; weight?: (l: number) => number },
  frozen: Matrix[] = embeddings,
): number {
  const L = o.numLayers;
  const C = embeddings.length / L;
  const at = (src: Matrix[], l: number) => Array.from({ length: C }, (_, c) => src[c * L + l]);
  const T = o.klTemperature ?? 0.3;
  let loss = o.inner(at(embeddings, L - 1)) * (o.lastLayerWeight ?? 1);
  for (const l of o.layers) {
    loss += (o.inner(at(embeddings, l)) * (o.weight ?? (() => 1))(l) / o.layers.length) * (o.priorLayersWeight ?? 1);
    if (T > 0) loss += klBatchmean64(at(embeddings, l).flat(), at(frozen, L - 1).flat(), T) * T * (o.klDivWeight ?? 1);
  }
  return loss;
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`adaptiveLayerLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    // One column, L = 3: layer 0 sums to 2, layer 1 to 6, final to 10.
    const layers: Matrix[] = [[[1, 1]], [[2, 4]], [[3, 7]]];

    it('hand-derived: final layer + prior layers with uniform, linear, log and custom weighting', () => {
      const base = { numLayers: 3, nLayersPerStep: -1, klTemperature: 0 };
      const cases: [AdaptiveLayerLossOptions['layerWeighting'], number][] = [
        ['uniform', 10 + (2 + 6) / 2],
        ['linear', 10 + (2 * 1 + 6 / 2) / 2],
        ['log', 10 + (2 * 1 + 6 / (1 + Math.log(2))) / 2],
        [(l: number) => l * 10, 10 + (0 + 6 * 10) / 2],
      ];
      for (const [layerWeighting, expected] of cases) {
        const v = lossValue(adaptive({ ...base, layerWeighting }), layers);
        assert.ok(Math.abs(v - expected) < 1e-5, `${String(layerWeighting)}: ${v} vs ${expected}`);
      }
      const weighted = lossValue(adaptive({ ...base, lastLayerWeight: 2, priorLayersWeight: 3 }), layers);
      assert.ok(Math.abs(weighted - (20 + 3 * 4)) < 1e-5, `weights: ${weighted}`);
    });

    it('hand-derived KL term: target P = softmax(final / T) carries no gradient', () => {
      // Final row [0, 0] → P = [½, ½]; layer row [ln 3, 0] at T = 1 → Q = [¾, ¼]; KL = ½ ln(4/3).
      const emb: Matrix[] = [[[Math.log(3), 0]], [[0, 0]]];
      const f = adaptive({ numLayers: 2, klTemperature: 1, klDivWeight: 2 }, () => tf.scalar(0));
      const { value, grads } = valueAndEmbeddingGrads(f, emb);
      assert.ok(Math.abs(value - 2 * 0.5 * Math.log(4 / 3)) < 1e-6, `value ${value}`);
      // d KL / d layer logits = (Q − P) / T / rows, × T × klDivWeight; nothing reaches the final layer.
      assertAllClose(grads, [[[2 * (0.75 - 0.5), 2 * (0.25 - 0.5)]], [[0, 0]]], { atol: 1e-6, what: 'gradient' });
    });

    it('KL rows stack every column (batchmean over B·C rows)', () => {
      // Two columns, L = 2: column 0 as above, column 1 has identical layer and final (KL 0).
      const emb: Matrix[] = [[[Math.log(3), 0]], [[0, 0]], [[1, 2]], [[1, 2]]];
      const v = lossValue(adaptive({ numLayers: 2, klTemperature: 1 }, () => tf.scalar(0)), emb);
      assert.ok(Math.abs(v - (0.5 * Math.log(4 / 3)) / 2) < 1e-6, `value ${v}`);
    });

    it('draws nLayersPerStep prior layers from the random source, after the final-layer loss', () => {
      const events: string[] = [];
      const inner: EmbeddingLossFn = (e) => (events.push(`inner ${e[0].arraySync()[0][0]}`), tf.sum(e[0]));
      const rng = { next: () => 0, sample: (n: number, k: number) => (events.push(`sample ${n} ${k}`), [2]) };
      // Layer l of the single column is a row filled with l.
      const emb = [0, 1, 2, 3, 4].map((l) => tf.fill([1, 2], l) as tf.Tensor2D);
      tf.tidy(() => void adaptiveLayerLoss(emb, undefined, { innerLoss: inner, numLayers: 5, nLayersPerStep: 1, rng }));
      assert.deepEqual(events, ['inner 4', 'sample 4 1', 'inner 2']);
      events.length = 0;
      tf.tidy(() => void adaptiveLayerLoss(emb, undefined, { innerLoss: inner, numLayers: 5, nLayersPerStep: 4, rng }));
      assert.deepEqual(events, ['inner 4', 'inner 0', 'inner 1', 'inner 2', 'inner 3']);
      tf.dispose(emb);
    });

    it('wrapping MNRL matches a float64 oracle (value, gradients with the KL target frozen)', () => {
      const numLayers = 3;
      const embeddings = randomColumns(5, 2 * numLayers, 3, 4);
      const inner = (cols: Matrix[]) => mnrlOracle(cols, { scale: 5 });
      const o = { numLayers, layers: [1, 0], inner, lastLayerWeight: 0.7, priorLayersWeight: 1.3, klDivWeight: 0.9, klTemperature: 0.5, weight: (l: number) => 1 / (1 + l) };
      const f = (e: tf.Tensor2D[]) =>
        adaptiveLayerLoss(e, undefined, {
          innerLoss: (x) => multipleNegativesRankingLoss(x, undefined, { scale: 5 }),
          numLayers,
          nLayersPerStep: 2,
          lastLayerWeight: 0.7,
          priorLayersWeight: 1.3,
          klDivWeight: 0.9,
          klTemperature: 0.5,
          layerWeighting: 'linear',
          rng: new ReplayedSamples([[1, 0]]),
        });
      const { value, grads } = valueAndEmbeddingGrads(f, embeddings);
      assertAllClose(value, adaptiveOracle(embeddings, o), { atol: 1e-5, rtol: 1e-5, what: 'value' });
      const expected = finiteDifferenceGrads64((e) => adaptiveOracle(e, o, embeddings), embeddings);
      assertAllClose(grads, expected, { atol: 1e-4, rtol: 1e-4, what: 'gradient' });
    });

    it('without the KL term the gradient equals finite differences of the loss', () => {
      const embeddings = randomColumns(8, 3 * 2, 3, 4);
      const f = (e: tf.Tensor2D[]) => adaptiveLayerLoss(e, undefined, { innerLoss: (x) => multipleNegativesRankingLoss(x, undefined, { scale: 3 }), numLayers: 3, nLayersPerStep: -1, klTemperature: 0 });
      assertMatchesFiniteDifferences(f, embeddings, 'AdaptiveLayer(MNRL), T = 0');
    });

    it('leaves no tensors behind', () => {
      const e = randomColumns(2, 4, 3, 4).map((c) => tf.tensor2d(c));
      assertFlatTensorCount(() => {
        const { value, grads } = tf.valueAndGrads((...x: tf.Tensor[]) => adaptive({ numLayers: 2 }, (y) => multipleNegativesRankingLoss(y))(x as tf.Tensor2D[]))(e);
        tf.dispose([value, ...grads]);
      });
      tf.dispose(e);
    });

    it('rejects bad arguments with messages that name them', () => {
      const e = [tf.ones([2, 3]), tf.ones([2, 3]), tf.ones([2, 3])] as tf.Tensor2D[];
      const run = (o: Partial<AdaptiveLayerLossOptions>) => () => adaptiveLayerLoss(e, undefined, { innerLoss: sumAll, numLayers: 3, ...o });
      assert.throws(run({ numLayers: 2 }), /AdaptiveLayerLoss: expects numLayers \(2\) embeddings per column, laid out embeddings\[column·2 \+ layer\]; got 3 matrices/);
      assert.throws(run({ numLayers: 0 }), /numLayers must be a positive integer/);
      assert.throws(run({ klTemperature: -1 }), /klTemperature must be a finite number ≥ 0/);
      assert.throws(run({ nLayersPerStep: 0.5 }), /nLayersPerStep must be an integer/);
      assert.throws(run({ layerWeighting: 'quadratic' as 'log' }), /layerWeighting must be 'uniform', 'log', 'linear' or a function of the layer index; got 'quadratic'/);
      assert.throws(run({ layerWeighting: () => NaN, nLayersPerStep: -1 }), /layerWeighting\(0\) must return a finite number; got NaN/);
      const mixed = [tf.ones([2, 3]), tf.ones([2, 4])] as tf.Tensor2D[];
      assert.throws(() => adaptiveLayerLoss(mixed, undefined, { innerLoss: sumAll, numLayers: 2 }), /matrix 1 \(column 0, layer 1\) has shape \[2,4\]/);
      tf.dispose([...e, ...mixed]);
    });
  });
}

describe('layerWeight', () => {
  it('uniform 1, log 1/(1 + ln(1 + l)), linear 1/(1 + l)', () => {
    assert.equal(layerWeight('uniform', 5), 1);
    assert.equal(layerWeight('linear', 3), 0.25);
    assert.equal(layerWeight('log', 0), 1);
    assert.ok(Math.abs(layerWeight('log', 2) - 1 / (1 + Math.log(3))) < 1e-15);
  });
});

describe('AdaptiveLayerLoss (class) on wasm', () => {
  const tok = defaultTokenizer();
  const batch: Batch = {
    columns: [
      ['a cat sits', 'dogs bark loudly', 'the sun is hot', 'rain falls'],
      ['a kitten rests', 'a dog is barking', 'it is sunny', 'it is raining'],
    ],
    columnNames: ['anchor', 'positive'],
  };
  const model = (dropout = 0) => tinyTransformerModel({ dropout, seed: 3 });

  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('forward equals the functional core on embedAllLayers, laid out [c·L + l]', () => {
    const m = model();
    const loss = new AdaptiveLayerLoss(m, new MultipleNegativesRankingLoss(m), { nLayersPerStep: -1 });
    assert.equal(loss.numLayers, 3);
    const [got, expected] = tf.tidy(() => {
      const e = batch.columns.flatMap((t) => m.embedAllLayers(t));
      const f = adaptiveLayerLoss(e, undefined, { innerLoss: (x) => multipleNegativesRankingLoss(x), numLayers: 3, nLayersPerStep: -1 });
      return [loss.forward(batch).arraySync() as number, f.arraySync() as number];
    });
    assert.ok(Math.abs(got - expected) < 1e-5, `${got} vs ${expected}`);
    m.dispose();
  });

  it('trains: the loss decreases over Adam steps and the tensor count stays flat', () => {
    const m = model(0.1);
    const loss = new AdaptiveLayerLoss(m, new MultipleNegativesRankingLoss(m), { nLayersPerStep: -1 });
    const evaluate = () => tf.tidy(() => loss.forward(batch).arraySync() as number);
    const before = evaluate();
    trainSteps(loss, batch, 6);
    const after = evaluate();
    assert.ok(after < before, `loss ${before} → ${after}`);
    m.dispose();
  });

  it('runs the wrapped loss through its own forward pass: GIST keeps its guide, CachedMNRL is computed end to end', () => {
    const m = model();
    const guide = model();
    const all = { nLayersPerStep: -1 };
    const [gist, gistExpected, cached, plain] = tf.tidy(() => {
      const e = batch.columns.flatMap((t) => m.embedAllLayers(t));
      const g = batch.columns.map((t) => guide.embed(t));
      const expected = adaptiveLayerLoss(e, undefined, { ...all, numLayers: 3, innerLoss: (x) => gistEmbedLoss(x, undefined, { guideEmbeddings: g }) });
      return [
        new AdaptiveLayerLoss(m, new GISTEmbedLoss(m, { guide }), all).forward(batch),
        expected,
        new AdaptiveLayerLoss(m, new CachedMultipleNegativesRankingLoss(m, { miniBatchSize: 2 }), all).forward(batch),
        new AdaptiveLayerLoss(m, new MultipleNegativesRankingLoss(m), all).forward(batch),
      ].map((t) => t.arraySync() as number);
    });
    assert.ok(Math.abs(gist - gistExpected) < 1e-5, `GIST ${gist} vs ${gistExpected}`);
    assert.ok(Math.abs(cached - plain) < 1e-5, `CachedMNRL ${cached} vs MNRL ${plain}`);
    m.dispose();
    guide.dispose();
  });

  it('needs a model whose first module is a Transformer', () => {
    const m = new SentenceTransformer([StaticEmbedding.random(tok, { dim: 8, seed: 1 })]);
    assert.throws(() => new AdaptiveLayerLoss(m, new MultipleNegativesRankingLoss(m)), /AdaptiveLayerLoss needs a model whose first module is a Transformer .*; got StaticEmbedding/);
    m.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`AdaptiveLayerLoss against the torch reference fixtures on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('AdaptiveLayerLoss')) {
      it(c.name, (t) => {
        if (!checkModifierFixture(c, adaptiveLayerLoss)) t.skip(`the wrapped ${c.inner!.loss} is not written yet`);
      });
    }
  });
}
