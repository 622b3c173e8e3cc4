import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { ContrastiveTensionLoss, contrastiveTensionLoss, identicalTokenLabels } from '../../../sdk/src/losses/contrastive-tension-loss';
import {
  assertAllClose,
  assertFlatTensorCount,
  assertMatchesFiniteDifferences,
  assertMatchesFixtureCase,
  dot,
  finiteDifferenceGrads64,
  randomColumns,
  type Matrix,
} from './gradient-checks';
import { ANCHORS, POSITIVES, batchOf, tinyTransformerModel, trainSteps } from './tiny-models';
import { lossFixturesFor } from '../../reference/fixtures';

const softplus = (x: number) => Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
/** Σ_i BCEWithLogits(a_i · b_i, y_i) = Σ softplus(s) − y·s. */
const oracle = ([a, b]: Matrix[], y: number[]) => a.reduce((s, ai, i) => s + softplus(dot(ai, b[i])) - y[i] * dot(ai, b[i]), 0);

function run(cols: Matrix[], labels: number[]) {
  const e = cols.map((c) => tf.tensor2d(c));
  const y = tf.tensor1d(labels);
  const { value, grads } = tf.valueAndGrads((a: tf.Tensor, b: tf.Tensor) => contrastiveTensionLoss([a as tf.Tensor2D, b as tf.Tensor2D], y))(e);
  const out = { value: value.arraySync() as number, grads: grads.map((g) => g.arraySync() as Matrix) };
  tf.dispose([value, ...grads, ...e, y]);
  return out;
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`contrastiveTensionLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: a sum (not a mean) of BCE with logits', () => {
      // Scores: 1·1 = 1 (label 1) and 0 (label 0): log(1 + e^−1) + log 2.
      const r = run([[[1, 0], [1, 0]], [[1, 0], [0, 3]]], [1, 0]);
      assertAllClose(r.value, Math.log1p(Math.exp(-1)) + Math.LN2, { atol: 1e-6 });
      // d/ds = sigmoid(s) − y: row 0 −1/(1+e), row 1 ½; d/da_i = that · b_i.
      const g0 = 1 / (1 + Math.E);
      assertAllClose(r.grads, [[[-g0, 0], [0, 1.5]], [[-g0, 0], [0.5, 0]]], { atol: 1e-6 });
    });

    it('matches the oracle with 1/7 layout, including large logits (stable form)', () => {
      const cols = randomColumns(71, 2, 8, 5).map((c) => c.map((r) => r.map((v) => 4 * v)));
      const y = [1, 0, 0, 0, 0, 0, 0, 0];
      const r = run(cols, y);
      assertAllClose(r.value, oracle(cols, y), { atol: 1e-3, rtol: 1e-5 });
      assertAllClose(r.grads, finiteDifferenceGrads64((c) => oracle(c, y), cols), { atol: 1e-3, rtol: 1e-4 });
      assert.ok(Number.isFinite(run([[[100, 0]], [[100, 0]]], [0]).value), 'score 10000 with label 0 stays finite');
    });

    it('does not leak tensors', () => {
      assertFlatTensorCount(() => void run(randomColumns(72, 2, 3, 2), [1, 0, 1]));
    });
  });
}

describe('contrastiveTensionLoss checks', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('finite differences (float32, cpu)', () => {
    const y = tf.tensor1d([1, 0, 0]);
    assertMatchesFiniteDifferences((e) => contrastiveTensionLoss(e, y), randomColumns(73, 2, 3, 3), 'ContrastiveTensionLoss');
    y.dispose();
  });
  it('errors: columns and labels', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => contrastiveTensionLoss([a]), /ContrastiveTensionLoss expects \(text_A, text_B\) pairs embedded by model1 and model2 \(2 text columns\); got 1/);
    assert.throws(() => contrastiveTensionLoss([a, a]), /ContrastiveTensionLoss expects labels \(1 if the two texts are identical, 0 otherwise\); got no label column/);
    const y = tf.tensor1d([1, 0, 0]);
    assert.throws(() => contrastiveTensionLoss([a, a], y), /expects one label per row .*: 2 rows but labels of shape \[3\]/);
    tf.dispose([a, y]);
  });
});

describe('ContrastiveTensionLoss class: two towers (wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('model1 is a copy made at construction, model2 the model; both towers train', () => {
    const model = tinyTransformerModel({ seed: 15 });
    const loss = new ContrastiveTensionLoss(model);
    assert.equal(loss.model2, model);
    assert.notEqual(loss.model1, model);
    const [w1, w2] = [loss.model1.trainableWeights(), model.trainableWeights()];
    assert.equal(loss.trainableWeights().length, w1.length + w2.length);
    assert.deepEqual(Array.from(w1[0].dataSync().slice(0, 50)), Array.from(w2[0].dataSync().slice(0, 50)), 'same initial values');
    assert.notEqual(w1[0], w2[0], 'own variables');
    const { value, grads } = loss.lossAndGradients(batchOf([ANCHORS, POSITIVES], ['text_A', 'text_B'], tf.tensor1d([1, 0, 0, 0, 0, 0])));
    for (const w of [...w1, ...w2]) assert.ok(grads[w.name], `gradient for ${w.name}`);
    tf.dispose([value, ...Object.values(grads)]);
    loss.dispose();
    model.dispose();
  });

  it('column A goes through model1 and column B through model2; labels derived from token ids when absent', () => {
    const model = tinyTransformerModel({ seed: 16 });
    const loss = new ContrastiveTensionLoss(model);
    // Make the towers differ so the routing matters.
    const v = loss.model1.trainableWeights()[0];
    v.assign(tf.mul(v, 1.5));
    // 'Hello  World' and 'hello world' tokenize identically with the uncased tokenizer: label 1, as the reference.
    const a = ['hello world', 'a cat', 'Hello  World'];
    const b = ['hello world', 'a dog', 'hello world'];
    const labels = identicalTokenLabels(model, a, b);
    assert.deepEqual(Array.from(labels.dataSync()), [1, 0, 1]);
    const [viaClass, direct, swapped] = tf.tidy(() => [
      loss.forward(batchOf([a, b], ['text_A', 'text_B'])).arraySync(),
      contrastiveTensionLoss([loss.model1.embed(a), model.embed(b)], labels).arraySync(),
      contrastiveTensionLoss([model.embed(a), loss.model1.embed(b)], labels).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-4, rtol: 1e-5 });
    assert.ok(Math.abs(viaClass - swapped) > 1e-3, 'the towers are not interchangeable');
    labels.dispose();
    loss.dispose();
    model.dispose();
  });

  it('trains with a flat tensor count; dispose frees the copy; wrong columns are named', () => {
    const model = tinyTransformerModel({ seed: 17 });
    const before = tf.memory().numTensors;
    const loss = new ContrastiveTensionLoss(model);
    const a = ANCHORS.concat(POSITIVES.slice(0, 2));
    const b = [ANCHORS[0], ...POSITIVES, ANCHORS[3]];
    const values = trainSteps(loss, batchOf([a, b], ['text_A', 'text_B']), 6, 1e-2);
    assert.ok(values[values.length - 1] < values[0] * 0.5, `loss ${values.join(' → ')}`);
    assert.throws(() => loss.forward(batchOf([a], ['sentence'])), /ContrastiveTensionLoss expects \(text_A, text_B\) pairs .*\(2 text columns\); got 1 \(sentence\)/);
    loss.dispose();
    assert.equal(tf.memory().numTensors, before, 'model1 disposed');
    model.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`contrastiveTensionLoss reference fixtures (torch) on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('ContrastiveTensionLoss')) {
      it(c.name, () => {
        const labels = tf.tensor1d(c.inputs.labels as number[]);
        try {
          assertMatchesFixtureCase((e) => contrastiveTensionLoss(e, labels), c.inputs.embeddings, c.expected, c.name);
        } finally {
          labels.dispose();
        }
      });
    }
  });
}
