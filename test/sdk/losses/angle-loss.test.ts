import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { AnglELoss, angleLoss } from '../../../sdk/src/losses/angle-loss';
import {
  assertAllClose,
  assertFlatTensorCount,
  assertMatchesFiniteDifferences,
  finiteDifferenceGrads64,
  norm,
  randomColumns,
  valueAndEmbeddingGrads,
  type Matrix,
} from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, NEGATIVES, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

/** float64 angle similarity: halves = real / imaginary parts, odd d zero-padded. */
function angleSim(x: number[], y: number[]): number {
  const [xp, yp] = x.length % 2 ? [[...x, 0], [...y, 0]] : [x, y];
  const h = xp.length / 2;
  let re = 0;
  let im = 0;
  for (let k = 0; k < h; k++) {
    const [a, b, c, d] = [xp[k], xp[k + h], yp[k], yp[k + h]];
    re += a * c + b * d;
    im += b * c - a * d;
  }
  return Math.abs(re + im) / (norm(xp) * norm(yp));
}

/** float64 CoSENT over angle similarities of (u_i, v_i) pairs. */
function angleOracle([u, v]: Matrix[], labels: number[], scale: number): number {
  const s = u.map((ui, i) => scale * angleSim(ui, v[i]));
  let sum = 1;
  labels.forEach((li, i) => labels.forEach((lj, j) => { if (li < lj) sum += Math.exp(s[i] - s[j]); }));
  return Math.log(sum);
}

const angle = (labels: number[] | undefined, scale?: number) => (e: tf.Tensor2D[]) => angleLoss(e, labels && tf.tensor1d(labels), scale === undefined ? {} : { scale });

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`angleLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: angle_sim([1,0],[1,0]) = 1, angle_sim([1,1],[1,0]) = √2 (re 1 + im 1 over √2)', () => {
      const cols = [[[1, 0], [1, 1]], [[1, 0], [1, 0]]];
      const { value, grads } = valueAndEmbeddingGrads(angle([1, 0], 1), cols);
      assertAllClose(value, Math.log(1 + Math.exp(Math.SQRT2 - 1)), { atol: 1e-6 });
      assertAllClose(grads, finiteDifferenceGrads64((c) => angleOracle(c, [1, 0], 1), cols), { atol: 1e-5, what: 'gradient' });
    });

    it('odd dimensions are zero-padded: matches the float64 oracle', () => {
      const cols = randomColumns(7, 2, 5, 5);
      const labels = [0.1, 0.9, 0.4, 0.4, 0.6];
      const { value, grads } = valueAndEmbeddingGrads(angle(labels), cols);
      assertAllClose(value, angleOracle(cols, labels, 20), { atol: 1e-4, rtol: 1e-5 });
      assertAllClose(grads, finiteDifferenceGrads64((c) => angleOracle(c, labels, 20), cols), { atol: 1e-3, rtol: 1e-3, what: 'gradient' });
    });

    it('n-tuples: (anchor, positive, negatives) = CoSENT on (a, p) with the label and (a, n_k) with 1 − label', () => {
      const [a, p, n1, n2] = randomColumns(8, 4, 3, 6);
      const labels = [0.9, 0.6, 0.8];
      const [tuple, flat, noLabels, flatOnes] = tf.tidy(() => {
        const t = (m: Matrix) => tf.tensor2d(m);
        return [
          angleLoss([t(a), t(p), t(n1), t(n2)], tf.tensor1d(labels)).arraySync(),
          angleLoss([t([...a, ...a, ...a]), t([...p, ...n1, ...n2])], tf.tensor1d([...labels, ...labels.map((l) => 1 - l), ...labels.map((l) => 1 - l)])).arraySync(),
          angleLoss([t(a), t(p), t(n1)], undefined).arraySync(),
          angleLoss([t([...a, ...a]), t([...p, ...n1])], tf.tensor1d([1, 1, 1, 0, 0, 0])).arraySync(),
        ];
      });
      assertAllClose(tuple, flat, { atol: 1e-5 });
      assertAllClose(noLabels, flatOnes, { atol: 1e-5 });
    });

    it('does not leak tensors', () => {
      const cols = randomColumns(9, 3, 3, 4);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(angle(undefined), cols));
    });
  });
}

describe('angleLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('pairs, scale 2', () => assertMatchesFiniteDifferences(angle([0.2, 0.7, 0.5], 2), randomColumns(12, 2, 3, 4), 'pairs'));
  it('triplets without labels, scale 2', () => assertMatchesFiniteDifferences(angle(undefined, 2), randomColumns(13, 3, 3, 4), 'triplets'));
});

describe('angleLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => {
    const a = tf.zeros([2, 4]) as tf.Tensor2D;
    assert.throws(() => angleLoss([a], tf.zeros([2])), /^Error: AnglELoss expects \(sentence_A, sentence_B\) pairs or \(anchor, positive, negative_1, \.\.\., negative_n\) tuples \(at least 2 text columns\); got 1$/);
    assert.throws(() => angleLoss([a, a], undefined), /^Error: AnglELoss expects labels \(one float similarity score per row\); got no label column$/);
    assert.throws(() => angleLoss([a, a, a], tf.zeros([3])), /AnglELoss expects one float similarity score per row: labels of shape \[2\]; got shape \[3\]/);
    const model = tinyStaticModel();
    assert.throws(() => new AnglELoss(model, { scale: Number.NaN }), /AnglELoss: scale must be a finite number; got NaN/);
    model.dispose();
    a.dispose();
  });
});

describe('AnglELoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('forward is the functional core on the model embeddings (triplets, no labels)', () => {
    const model = tinyStaticModel();
    const loss = new AnglELoss(model, { scale: 5 });
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf([ANCHORS, POSITIVES, NEGATIVES])).arraySync(),
      angleLoss([ANCHORS, POSITIVES, NEGATIVES].map((c) => model.embed(c)), undefined, { scale: 5 }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    model.dispose();
  });

  it('trains: Adam steps lower the loss with a flat tensor count', () => {
    const model = tinyStaticModel();
    const labels = tf.tensor1d([0.9, 0.1, 0.7, 0.3, 0.5, 0.2]);
    const values = trainSteps(new AnglELoss(model), batchOf([ANCHORS, POSITIVES], ['sentence1', 'sentence2'], labels));
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    labels.dispose();
    model.dispose();
  });
});

referenceFixtureSuite('AnglELoss', angleLoss);
