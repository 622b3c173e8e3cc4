import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import {
  ContrastiveTensionLossInBatchNegatives,
  contrastiveTensionLossInBatchNegatives,
  type ContrastiveTensionLossInBatchNegativesOptions,
} from '../../../sdk/src/losses/contrastive-tension-loss-in-batch-negatives';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, cos, finiteDifferenceGrads64, logSumExp, mean, randomColumns, type Matrix } from './gradient-checks';
import { ANCHORS, POSITIVES, batchOf, tinyTransformerModel, trainSteps } from './tiny-models';
import { lossFixturesFor } from '../../reference/fixtures';

/** ½[CE(S, i) + CE(Sᵀ, i)], S = cos(E1, E2) · exp(logitScale). */
function oracle([e1, e2]: Matrix[], logitScale: number): number {
  const s = e1.map((x) => e2.map((y) => cos(x, y) * Math.exp(logitScale)));
  const forward = mean(s.map((row, i) => logSumExp(row) - row[i]));
  const backward = mean(s.map((_, j) => logSumExp(s.map((row) => row[j])) - s[j][j]));
  return (forward + backward) / 2;
}

/** Value, embedding gradients and the logit-scale gradient. */
function run(cols: Matrix[], logitScale: number, options: ContrastiveTensionLossInBatchNegativesOptions = {}) {
  const inputs = [...cols.map((c) => tf.tensor2d(c)), tf.scalar(logitScale)];
  const { value, grads } = tf.valueAndGrads((e1: tf.Tensor, e2: tf.Tensor, ls: tf.Tensor) =>
    contrastiveTensionLossInBatchNegatives([e1 as tf.Tensor2D, e2 as tf.Tensor2D], undefined, { ...options, logitScale: ls as tf.Scalar }),
  )(inputs);
  const out = { value: value.arraySync() as number, grads: grads.slice(0, 2).map((g) => g.arraySync() as Matrix), scaleGrad: grads[2].arraySync() as number };
  tf.dispose([value, ...grads, ...inputs]);
  return out;
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`contrastiveTensionLossInBatchNegatives on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: orthonormal towers, scale 1', () => {
      const eye = [[1, 0], [0, 1]];
      const r = run([eye, eye], 0);
      assertAllClose(r.value, Math.log(1 + Math.E) - 1, { atol: 1e-6 });
      // d/d logitScale = Σ over S entries of dL/dS · S; with S = I only the diagonal counts: −(1 − softmax) on both sides.
      assertAllClose(r.scaleGrad, -(1 - Math.E / (1 + Math.E)), { atol: 1e-6 });
    });

    it('matches the oracle: value, embedding gradients and the logit-scale gradient (ln 20)', () => {
      const cols = randomColumns(81, 2, 5, 4);
      const ls = Math.log(20);
      const r = run(cols, ls);
      assertAllClose(r.value, oracle(cols, ls), { atol: 1e-4, rtol: 1e-5 });
      assertAllClose(r.grads, finiteDifferenceGrads64((c) => oracle(c, ls), cols), { atol: 1e-4, rtol: 1e-4 });
      assertAllClose(r.scaleGrad, (oracle(cols, ls + 1e-6) - oracle(cols, ls - 1e-6)) / 2e-6, { atol: 1e-4, rtol: 1e-4 });
    });

    it('a fixed scale option equals the same logitScale', () => {
      const cols = randomColumns(82, 2, 4, 3);
      const fixed = tf.tidy(() => contrastiveTensionLossInBatchNegatives(cols.map((c) => tf.tensor2d(c)), undefined, { scale: 5 }).arraySync());
      assertAllClose(fixed, oracle(cols, Math.log(5)), { atol: 1e-5 });
    });

    it('batch of one: CE of a single logit, 0; zero vectors finite; no leak', () => {
      assert.equal(run([[[1, 2]], [[3, 4]]], Math.log(20)).value, 0);
      const cols = randomColumns(83, 2, 3, 3);
      cols[0][1] = [0, 0, 0];
      const r = run(cols, Math.log(20));
      assert.ok(Number.isFinite(r.value) && r.grads.flat(2).every(Number.isFinite) && Number.isFinite(r.scaleGrad));
      assertFlatTensorCount(() => void run(cols, 1));
    });
  });
}

describe('contrastiveTensionLossInBatchNegatives checks', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('finite differences (float32, cpu)', () => {
    assertMatchesFiniteDifferences((e) => contrastiveTensionLossInBatchNegatives(e, undefined, { scale: 5 }), randomColumns(84, 2, 3, 3), 'CT in-batch');
  });
  it('errors', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => contrastiveTensionLossInBatchNegatives([a]), /ContrastiveTensionLossInBatchNegatives expects the embeddings \[model1\(x\), model2\(x\)\] of one text column \(2 text columns\); got 1/);
    assert.throws(() => contrastiveTensionLossInBatchNegatives([a, a], undefined, { scale: 0 }), /scale must be a positive number; got 0/);
    a.dispose();
  });
});

describe('ContrastiveTensionLossInBatchNegatives class (wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('owns a trainable logitScale = ln(scale); both towers and the scale get gradients', () => {
    const model = tinyTransformerModel({ seed: 18 });
    const loss = new ContrastiveTensionLossInBatchNegatives(model, { scale: 10 });
    assertAllClose(loss.logitScale.dataSync()[0], Math.log(10), { atol: 1e-6 });
    assertAllClose(loss.scale, 10, { atol: 1e-4 });
    const weights = loss.trainableWeights();
    assert.equal(weights.length, 2 * model.trainableWeights().length + 1);
    assert.ok(weights.includes(loss.logitScale));
    const { value, grads } = loss.lossAndGradients(batchOf([ANCHORS], ['sentence']));
    for (const w of weights) assert.ok(grads[w.name], `gradient for ${w.name}`);
    // Value: the functional core on [model1(x), model2(x)] with the same logit scale.
    const direct = tf.tidy(() => contrastiveTensionLossInBatchNegatives([loss.model1.embed(ANCHORS), model.embed(ANCHORS)], undefined, { scale: 10 }).arraySync());
    assertAllClose(value.dataSync()[0], direct, { atol: 1e-5 });
    tf.dispose([value, ...Object.values(grads)]);
    loss.dispose();
    model.dispose();
  });

  it('trains (loss decreases, flat tensor count), the scale moves; column checks', () => {
    const model = tinyTransformerModel({ seed: 19 });
    const loss = new ContrastiveTensionLossInBatchNegatives(model);
    const values = trainSteps(loss, batchOf([ANCHORS.concat(POSITIVES)], ['sentence']));
    assert.ok(values[values.length - 1] < values[0] * 0.5, `loss ${values.join(' → ')}`);
    assert.notEqual(loss.scale.toFixed(4), '20.0000');
    assert.throws(() => loss.forward(batchOf([ANCHORS, ANCHORS, ANCHORS], ['a', 'b', 'c'])), /ContrastiveTensionLossInBatchNegatives expects one text column .*\(1 to 2 text columns\); got 3 \(a, b, c\)/);
    assert.throws(() => new ContrastiveTensionLossInBatchNegatives(model, { scale: 0 }), /scale must be a positive number; got 0/);
    loss.dispose();
    model.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`contrastiveTensionLossInBatchNegatives reference fixtures (torch) on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('ContrastiveTensionLossInBatchNegatives')) {
      it(`${c.name}: value, embedding gradients and the logit_scale gradient`, () => {
        const logitScale = c.inputs.moduleParams!.logit_scale as number;
        const r = run(c.inputs.embeddings, logitScale, c.options as ContrastiveTensionLossInBatchNegativesOptions);
        assertAllClose(r.value, c.expected.loss, { atol: 1e-4, rtol: 1e-4, what: 'loss' });
        assertAllClose(r.grads, c.expected.grads, { atol: 1e-4, rtol: 1e-4, what: 'embedding gradients' });
        assertAllClose(r.scaleGrad, c.expected.paramGrads!.logit_scale as number, { atol: 1e-4, rtol: 1e-4, what: 'logit_scale gradient' });
      });
    }
  });
}
