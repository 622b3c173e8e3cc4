import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { LabelAccuracyEvaluator } from '../../../sdk/src/evaluation/label-accuracy-evaluator';
import { SoftmaxLoss, softmaxLoss, softmaxLossLogits, type SoftmaxLossOptions } from '../../../sdk/src/losses/softmax-loss';
import { Rng } from '../../../sdk/src/util/random';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, randomColumns, randomMatrix, type Matrix } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, NEGATIVES, POSITIVES, batchOf, gradsToArrays, tinyStaticModel, trainSteps } from './tiny-models';

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

/** Value and the gradients w.r.t. u, v, the weight and the bias. */
function valueAndAllGrads(cols: Matrix[], weight: Matrix, bias: number[], labels: number[], o: SoftmaxLossOptions = {}) {
  const xs = [...cols.map((c) => tf.tensor2d(c)), tf.tensor2d(weight), tf.tensor1d(bias)];
  const y = tf.tensor1d(labels);
  const { value, grads } = tf.valueAndGrads((u: tf.Tensor, v: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
    softmaxLoss([u, v] as tf.Tensor2D[], y, { ...o, weight: w as tf.Tensor2D, bias: b as tf.Tensor1D }),
  )(xs);
  const out = { value: value.arraySync() as number, grads: grads.map((g) => g.arraySync()) };
  tf.dispose([value, ...grads, ...xs, y]);
  return out;
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`softmaxLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: features (u, v, |u − v|), logits W·f + b, cross-entropy', () => {
      // u = (1, 0), v = (0, 1): f = (1, 0, 0, 1, 1, 1); W row 0 = (1, 0, 0, 0, 0, 2), row 1 = 0; b = (0, 0.5) → logits (3, 0.5).
      const W = [[1, 0, 0, 0, 0, 2], [0, 0, 0, 0, 0, 0]];
      const { value, grads } = valueAndAllGrads([[[1, 0]], [[0, 1]]], W, [0, 0.5], [1]);
      assertAllClose(value, Math.log(Math.exp(3) + Math.exp(0.5)) - 0.5, { atol: 1e-6 });
      // dL/dlogits = softmax − onehot(1) = (a, −a), a = σ(2.5). df = Wᵀ (a, −a) = (a, 0, 0, 0, 0, 2a).
      // du = df[0:2] + sign(u − v)·df[4:6] = (a, 0) + (1, −1)·(0, 2a); dv = df[2:4] − sign(u − v)·df[4:6].
      const a = sigmoid(2.5);
      const f = [1, 0, 0, 1, 1, 1];
      assertAllClose(grads[0], [[a, -2 * a]], { atol: 1e-6, what: 'du' });
      assertAllClose(grads[1], [[0, 2 * a]], { atol: 1e-6, what: 'dv' });
      assertAllClose(grads[2], [f.map((x) => a * x), f.map((x) => -a * x)], { atol: 1e-6, what: 'dW' });
      assertAllClose(grads[3], [a, -a], { atol: 1e-6, what: 'db' });
    });

    it('the concatenation flags choose and order the features: rep, difference, multiplication', () => {
      const [u, v] = [[[2, -1]], [[0.5, 3]]];
      const cases: [SoftmaxLossOptions, number[]][] = [
        [{ concatenationSentMultiplication: true }, [2, -1, 0.5, 3, 1.5, 4, 1, -3]],
        [{ concatenationSentDifference: false }, [2, -1, 0.5, 3]],
        [{ concatenationSentRep: false, concatenationSentMultiplication: true }, [1.5, 4, 1, -3]],
      ];
      for (const [o, features] of cases) {
        // With W = identity-like rows (e_k), logit k is feature k.
        const W = features.map((_, k) => features.map((__, j) => (j === k ? 1 : 0)));
        const logits = tf.tidy(() => softmaxLossLogits([tf.tensor2d(u), tf.tensor2d(v)], { ...o, weight: tf.tensor2d(W), bias: tf.zeros([features.length]) as tf.Tensor1D }).arraySync());
        assertAllClose(logits, [features], { atol: 1e-6, what: JSON.stringify(o) });
      }
    });

    it('labels arrive as float32 class ids', () => {
      const W = randomMatrix(new Rng(3), 3, 12);
      const cols = randomColumns(4, 2, 2, 4);
      const asFloat = valueAndAllGrads(cols, W, [0, 0, 0], [2, 0]).value;
      const byHand = tf.tidy(() => {
        const logits = softmaxLossLogits(cols.map((c) => tf.tensor2d(c)), { weight: tf.tensor2d(W), bias: tf.zeros([3]) as tf.Tensor1D }).arraySync();
        return (logits.map((row, i) => Math.log(row.reduce((s, x) => s + Math.exp(x), 0)) - row[[2, 0][i]]).reduce((s, x) => s + x, 0)) / 2;
      });
      assertAllClose(asFloat, byHand, { atol: 1e-5 });
    });

    it('does not leak tensors', () => {
      const W = randomMatrix(new Rng(5), 3, 12);
      const cols = randomColumns(6, 2, 4, 4);
      assertFlatTensorCount(() => void valueAndAllGrads(cols, W, [0.1, 0.2, 0.3], [0, 1, 2, 1]));
    });
  });
}

describe('softmaxLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  // |u − v| has a kink at u = v: these inputs keep every |u_ij − v_ij| ≥ 0.5, far from it for the 1e-2 step.
  const cols = randomColumns(11, 2, 3, 3);
  it('inputs away from the kink of |u − v|', () => assert.ok(cols[0].every((r, i) => r.every((x, j) => Math.abs(x - cols[1][i][j]) > 0.5))));
  for (const o of [{}, { concatenationSentMultiplication: true }] as SoftmaxLossOptions[]) {
    it(JSON.stringify(o), () => {
      const k = o.concatenationSentMultiplication ? 4 : 3;
      const W = randomMatrix(new Rng(7), 3, k * 3);
      assertMatchesFiniteDifferences((e) => softmaxLoss(e, tf.tensor1d([0, 2, 1]), { ...o, weight: tf.tensor2d(W), bias: tf.tensor1d([0.1, -0.2, 0.3]) }), cols, JSON.stringify(o));
    });
  }
});

describe('softmaxLoss errors', () => {
  before(ready);
  it('names the loss, the expected format and what was given', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    const weight = tf.zeros([3, 9]) as tf.Tensor2D;
    const bias = tf.zeros([3]) as tf.Tensor1D;
    assert.throws(() => softmaxLoss([a], tf.zeros([2]), { weight, bias }), /^Error: SoftmaxLoss expects \(sentence_A, sentence_B\) pairs \(2 text columns\); got 1$/);
    assert.throws(() => softmaxLoss([a, a], undefined, { weight, bias }), /^Error: SoftmaxLoss expects labels \(one integer class label per row\); got no label column$/);
    assert.throws(() => softmaxLoss([a, a], tf.zeros([2, 3]), { weight, bias }), /SoftmaxLoss expects one integer class label per row: labels of shape \[2\]; got shape \[2, 3\]/);
    assert.throws(() => softmaxLoss([a, a], tf.zeros([2]), { weight, bias, concatenationSentMultiplication: true }), /SoftmaxLoss: weight must have shape \[numLabels, k·d\] = \[3, 12\] \(k = 4 concatenated vectors, d = 3\); got \[3, 9\]/);
    assert.throws(() => softmaxLoss([a, a], tf.zeros([2]), { weight, bias, numLabels: 4 }), /weight must have shape \[numLabels, k·d\] = \[4, 9\]/);
    assert.throws(() => softmaxLoss([a, a], tf.zeros([2]), { weight, bias: tf.zeros([2]) as tf.Tensor1D }), /SoftmaxLoss: bias must have shape \[3\]; got \[2\]/);
    assert.throws(() => softmaxLoss([a, a], tf.zeros([2]), { weight, bias, embeddingDimension: 8 }), /SoftmaxLoss: embeddingDimension is 8 but the embeddings have 3 dimensions/);
    assert.throws(() => softmaxLoss([a, a], tf.zeros([2]), { weight, bias, concatenationSentRep: false, concatenationSentDifference: false }), /at least one of concatenationSentRep/);
    assert.throws(() => softmaxLoss([a, a], tf.zeros([2]), {} as never), /the functional form needs the classifier as options.weight/);
    tf.dispose([a, weight, bias]);
  });
});

describe('SoftmaxLoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });
  // Pairs: paraphrase (0), unrelated (1), and (anchor, anchor) identical (2).
  const texts1 = [...ANCHORS, ...ANCHORS, ...ANCHORS];
  const texts2 = [...POSITIVES, ...NEGATIVES, ...ANCHORS];
  const labels = [...ANCHORS.map(() => 0), ...ANCHORS.map(() => 1), ...ANCHORS.map(() => 2)];

  it("owns a classifier with nn.Linear's default init, seeded", () => {
    const model = tinyStaticModel();
    const loss = new SoftmaxLoss(model, { numLabels: 3 });
    assert.deepEqual(loss.weight.shape, [3, 48]); // k = 3 vectors of d = 16
    assert.deepEqual(loss.bias.shape, [3]);
    const bound = 1 / Math.sqrt(48);
    const values = [...loss.weight.dataSync(), ...loss.bias.dataSync()];
    assert.ok(values.every((w) => Math.abs(w) <= bound), 'every weight in U(−1/√fan_in, 1/√fan_in)');
    assert.ok(Math.max(...values.map(Math.abs)) > bound * 0.8, 'spread over the interval');
    const again = new SoftmaxLoss(model, { numLabels: 3, sentenceEmbeddingDimension: 16 });
    assert.deepEqual(Array.from(again.weight.dataSync()), Array.from(loss.weight.dataSync()), 'same seed, same weights');
    assert.equal(loss.trainableWeights().length, model.trainableWeights().length + 2);
    assert.ok(loss.trainableWeights().includes(loss.weight) && loss.trainableWeights().includes(loss.bias));
    assert.throws(() => new SoftmaxLoss(model, { numLabels: 0 }), /SoftmaxLoss: numLabels must be a positive integer; got 0/);
    assert.throws(() => new SoftmaxLoss(model, { numLabels: 3, embeddingDimension: 16, sentenceEmbeddingDimension: 8 }), /embeddingDimension 16 and sentenceEmbeddingDimension 8 disagree/);
    loss.dispose();
    again.dispose();
    assert.ok(loss.weight.isDisposed && loss.bias.isDisposed);
    model.dispose();
  });

  it('forward is the functional core with its own classifier; predict gives the logits', () => {
    const model = tinyStaticModel();
    const loss = new SoftmaxLoss(model, { numLabels: 3 });
    const y = tf.tensor1d(labels);
    const [viaClass, direct, logits, directLogits] = tf.tidy(() => [
      loss.forward(batchOf([texts1, texts2], ['premise', 'hypothesis'], y)).arraySync(),
      softmaxLoss([model.embed(texts1), model.embed(texts2)], y, { weight: loss.weight, bias: loss.bias }).arraySync(),
      loss.predict(texts1, texts2).arraySync(),
      softmaxLossLogits([model.embed(texts1), model.embed(texts2)], { weight: loss.weight, bias: loss.bias }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    assertAllClose(logits, directLogits, { atol: 1e-6 });
    assert.throws(() => loss.predict(['a'], ['b', 'c']), /SoftmaxLoss.predict: texts1 has 1 texts, texts2 has 2/);
    y.dispose();
    loss.dispose();
    model.dispose();
  });

  it('the classifier gets gradients from lossAndGradients', () => {
    const model = tinyStaticModel();
    const loss = new SoftmaxLoss(model, { numLabels: 3 });
    const y = tf.tensor1d(labels);
    const { value, grads } = loss.lossAndGradients(batchOf([texts1, texts2], ['premise', 'hypothesis'], y));
    const arrays = gradsToArrays(grads);
    assert.ok(arrays[loss.weight.name].some((g) => g !== 0) && arrays[loss.bias.name].some((g) => g !== 0));
    tf.dispose([value, y]);
    loss.dispose();
    model.dispose();
  });

  it('trains (classifier and model) with a flat tensor count; LabelAccuracyEvaluator reads predict', async () => {
    const model = tinyStaticModel();
    const loss = new SoftmaxLoss(model, { numLabels: 3 });
    const y = tf.tensor1d(labels);
    const values = trainSteps(loss, batchOf([texts1, texts2], ['premise', 'hypothesis'], y), 8, 5e-2);
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    const evaluator = new LabelAccuracyEvaluator({ sentences1: texts1, sentences2: texts2, labels, predict: loss.predict, batchSize: 5 });
    const { metrics } = await evaluator.evaluate(model);
    const predicted = tf.tidy(() => loss.predict(texts1, texts2).argMax(1).arraySync() as number[]);
    assert.equal(metrics.accuracy, predicted.filter((p, i) => p === labels[i]).length / labels.length);
    y.dispose();
    loss.dispose();
    model.dispose();
  });
});

referenceFixtureSuite('SoftmaxLoss', softmaxLoss as never);
