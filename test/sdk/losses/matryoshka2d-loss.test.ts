import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { Matryoshka2dLoss, matryoshka2dLoss } from '../../../sdk/src/losses/matryoshka2d-loss';
import { MatryoshkaLoss } from '../../../sdk/src/losses/matryoshka-loss';
import { MultipleNegativesRankingLoss, multipleNegativesRankingLoss } from '../../../sdk/src/losses/multiple-negatives-ranking-loss';
import type { Batch } from '../../../sdk/src/losses/loss';
import type { EmbeddingLossFn } from '../../../sdk/src/losses/wrapped-loss';
import { assertAllClose, finiteDifferenceGrads64, randomColumns, valueAndEmbeddingGrads, type Matrix } from './gradient-checks';
import { mnrlOracle } from './mnrl-oracle';
import { ReplayedSamples } from './replay-random';
import { klBatchmean64, shrink64 } from './modifier-oracles';
import { tinyTransformerModel } from './tiny-models';
import { checkModifierFixture } from './modifier-fixtures';
import { lossFixturesFor } from '../../reference/fixtures';

process.env.SENTENCE_TFJS_QUIET = '1';

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`matryoshka2dLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('draws in the reference order: final-layer dims, the layers, then dims per selected layer', () => {
      const seen: string[] = [];
      // Layer l of the single column is a row of (l + 1)s, so the inner call can tell which layer it got.
      const emb = [0, 1, 2].map((l) => tf.fill([1, 4], l + 1) as tf.Tensor2D);
      const inner: EmbeddingLossFn = (e) => {
        seen.push(`dim ${e[0].shape[1]}`);
        return tf.sum(e[0]);
      };
      const rng = new ReplayedSamples([[1], [0], [0]]);
      tf.tidy(() => void matryoshka2dLoss(emb, undefined, { innerLoss: inner, numLayers: 3, matryoshkaDims: [2, 4], rng, klTemperature: 0 }));
      // Defaults: one dim per pass (of 2), one prior layer (of 2).
      assert.deepEqual(rng.requests, [[2, 1], [2, 1], [2, 1]]);
      assert.deepEqual(seen, ['dim 2', 'dim 4']);
      assert.equal(rng.remaining, 0);
      tf.dispose(emb);
    });

    it('wrapping MNRL matches a float64 oracle (KL on raw embeddings, target frozen)', () => {
      const L = 3;
      const embeddings = randomColumns(21, 2 * L, 3, 6);
      const dims = [6, 4, 2];
      const weights = [1, 0.5, 0.25];
      // Draws: final layer dims {0, 2}, layer 1, layer-1 dims {0, 1}.
      const draws = [[2, 0], [1], [1, 0]];
      const o = { numLayers: L, matryoshkaDims: dims, matryoshkaWeights: weights, nDimsPerStep: 2, klTemperature: 0.3 };
      // Layer 0 is not drawn; the zero term only connects it so tf.valueAndGrads returns its (zero) gradient.
      const f = (e: tf.Tensor2D[]) =>
        tf.add(
          matryoshka2dLoss(e, undefined, { ...o, innerLoss: (x) => multipleNegativesRankingLoss(x), rng: new ReplayedSamples(draws) }),
          tf.mul(0, tf.addN(e.map((x) => tf.sum(x)))),
        ) as tf.Scalar;
      const matryoshka64 = (cols: Matrix[], idx: number[]) => idx.reduce((s, i) => s + weights[i] * mnrlOracle(cols.map((c) => shrink64(c, dims[i]))), 0);
      const oracle = (e: Matrix[], frozen: Matrix[] = e) => {
        const at = (src: Matrix[], l: number) => [src[l], src[L + l]];
        const kl = klBatchmean64(at(e, 1).flat(), at(frozen, L - 1).flat(), 0.3);
        return matryoshka64(at(e, L - 1), [0, 2]) + matryoshka64(at(e, 1), [0, 1]) + kl * 0.3;
      };
      const { value, grads } = valueAndEmbeddingGrads(f, embeddings);
      assertAllClose(value, oracle(embeddings), { atol: 1e-5, rtol: 1e-5, what: 'value' });
      assertAllClose(grads, finiteDifferenceGrads64((e) => oracle(e, embeddings), embeddings), { atol: 1e-4, rtol: 1e-4, what: 'gradient' });
    });
  });
}

describe('Matryoshka2dLoss (class) on wasm', () => {
  const batch: Batch = {
    columns: [
      ['a cat sits', 'dogs bark loudly', 'the sun is hot'],
      ['a kitten rests', 'a dog is barking', 'it is sunny'],
    ],
    columnNames: ['anchor', 'positive'],
  };

  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('is AdaptiveLayerLoss around MatryoshkaLoss sharing one random source, defaults as the reference', () => {
    const m = tinyTransformerModel({ seed: 5 });
    const draws = [[0], [1], [1]];
    const rng = new ReplayedSamples(draws);
    const loss = new Matryoshka2dLoss(m, new MultipleNegativesRankingLoss(m), { matryoshkaDims: [32, 8], rng });
    assert.equal(loss.name, 'Matryoshka2dLoss');
    assert.ok(loss.matryoshkaLoss instanceof MatryoshkaLoss);
    assert.equal(loss.matryoshkaLoss.nDimsPerStep, 1);
    assert.equal(loss.nLayersPerStep, 1);
    assert.equal(loss.klTemperature, 0.3);
    const [got, expected] = tf.tidy(() => {
      const value = loss.forward(batch).arraySync() as number;
      const e = batch.columns.flatMap((t) => m.embedAllLayers(t));
      const f = matryoshka2dLoss(e, undefined, { innerLoss: (x) => multipleNegativesRankingLoss(x), numLayers: 3, matryoshkaDims: [32, 8], rng: new ReplayedSamples(draws) });
      return [value, f.arraySync() as number];
    });
    assert.deepEqual(rng.requests, [[2, 1], [2, 1], [2, 1]]);
    assert.ok(Math.abs(got - expected) < 1e-5, `${got} vs ${expected}`);
    m.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`Matryoshka2dLoss against the torch reference fixtures on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('Matryoshka2dLoss')) {
      it(c.name, (t) => {
        if (!checkModifierFixture(c, matryoshka2dLoss)) t.skip(`the wrapped ${c.inner!.loss} is not written yet`);
      });
    }
  });
}
