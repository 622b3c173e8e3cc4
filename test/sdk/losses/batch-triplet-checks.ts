// Shared by the tests of the four batch triplet losses: 1-D points whose distances are easy to derive by hand,
// the errors they share, and the class tests (forward = functional core; a few Adam steps on wasm).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import type { SentenceLoss } from '../../../sdk/src/losses/loss';
import type { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { assertAllClose, assertFlatTensorCount, finiteDifferenceGrads, maxAbs, randomColumns, valueAndEmbeddingGrads, type Matrix } from './gradient-checks';
import { ANCHORS, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

export type BatchTripletCore = (embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options?: never) => tf.Scalar;

/** Points 0, 1, 3 on a line with classes [0, 0, 1]: D01 = 1, D02 = 3, D12 = 2. */
export const LINE: Matrix = [[0], [1], [3]];
export const LINE_LABELS = [0, 0, 1];

/** Value and gradient of a batch triplet loss for one column and class labels. */
export function valueAndGrad(core: BatchTripletCore, x: Matrix, labels: number[], options: object = {}): { value: number; grad: Matrix } {
  const { value, grads } = valueAndEmbeddingGrads((e) => core(e, tf.tensor1d(labels), options as never), [x]);
  return { value, grad: grads[0] };
}

/** Finite value and gradients on batches with no valid triplet (one class; all classes distinct) and duplicate rows. */
export function assertFiniteOnDegenerateBatches(core: BatchTripletCore, options: object): void {
  const x = [[1, 2], [1, 2], [0, 1], [3, -1]]; // rows 0 and 1 identical: distance exactly 0
  for (const labels of [[4, 4, 4, 4], [0, 1, 2, 3], [0, 0, 1, 1]]) {
    const { value, grad } = valueAndGrad(core, x, labels, options);
    assert.ok(Number.isFinite(value), `value ${value} for labels ${labels}`);
    assert.ok(grad.flat().every(Number.isFinite), `gradient ${JSON.stringify(grad)} for labels ${labels}`);
  }
}

/** The errors every batch triplet loss shares. */
export function assertBatchTripletErrors(name: string, core: BatchTripletCore): void {
  const a = tf.zeros([3, 2]) as tf.Tensor2D;
  assert.throws(() => core([a, a], tf.zeros([3])), new RegExp(`^Error: ${name} expects single sentences \\(1 text column\\); got 2$`));
  assert.throws(() => core([a], undefined), new RegExp(`^Error: ${name} expects labels \\(one integer class label per row\\); got no label column$`));
  assert.throws(() => core([a], tf.zeros([3, 2])), new RegExp(`^Error: ${name} expects one integer class label per row: labels of shape \\[3\\]; got shape \\[3, 2\\]$`));
  assert.throws(() => core([a], tf.zeros([3]), { distanceMetric: 'cosine' } as never), new RegExp(`^Error: ${name}: distanceMetric must be one of euclidean_distance, squared_euclidean_distance, cosine_distance; got 'cosine'$`));
  a.dispose();
}

/** Forward equals the functional core on the model's embeddings; Adam steps lower the loss with a flat tensor count. */
export function batchTripletClassSuite(name: string, make: (model: SentenceTransformer) => SentenceLoss, core: BatchTripletCore, options: object): void {
  describe(`${name} class (StaticEmbedding, wasm)`, () => {
    before(async () => {
      await ready();
      await useBackend('wasm');
    });
    // Six classes of two paraphrases each.
    const sentences = [...ANCHORS, ...POSITIVES];
    const classes = [...ANCHORS.keys(), ...POSITIVES.keys()];

    it('forward is the functional core on the model embeddings; one text column only', () => {
      const model = tinyStaticModel();
      const loss = make(model);
      assert.equal(loss.name, name);
      const [viaClass, direct] = tf.tidy(() => [
        loss.forward(batchOf([sentences], ['sentence'], tf.tensor1d(classes))).arraySync(),
        core([model.embed(sentences)], tf.tensor1d(classes), options as never).arraySync(),
      ]);
      assertAllClose(viaClass, direct, { atol: 1e-6 });
      assert.throws(() => loss.forward(batchOf([ANCHORS, POSITIVES], ['a', 'b'], tf.tensor1d(classes.slice(0, 6)))), new RegExp(`${name} expects single sentences \\(1 text column\\); got 2 \\(a, b\\)$`));
      model.dispose();
    });

    it('trains: Adam steps lower the loss with a flat tensor count', () => {
      const model = tinyStaticModel();
      const labels = tf.tensor1d(classes);
      const values = trainSteps(make(model), batchOf([sentences], ['sentence'], labels), 6, 5e-2);
      assert.ok(values[values.length - 1] < values[0] * 0.9, `loss ${values.join(' → ')}`);
      labels.dispose();
      model.dispose();
    });
  });
}

/**
 * Finite differences with a 1e-3 step: the hardest-pair selections are piecewise, and the default 1e-2 step
 * crosses a kink whenever two candidate distances of a random batch lie within 1e-2 of each other.
 */
export function assertMatchesFiniteDifferencesNearby(fn: (e: tf.Tensor2D[]) => tf.Scalar, columns: Matrix[], what: string): void {
  const { grads } = valueAndEmbeddingGrads(fn, columns);
  const fd = finiteDifferenceGrads(fn, columns, 1e-3);
  assertAllClose(grads, fd, { atol: 1e-2 * Math.max(1, maxAbs(fd)), rtol: 1e-2, what: `${what} gradient vs finite differences` });
}

const METRICS = ['euclidean_distance', 'squared_euclidean_distance', 'cosine_distance'] as const;

/** Tests every batch triplet loss shares, registered inside a per-backend describe: degenerate batches, no leak. */
export function sharedBatchTripletTests(core: BatchTripletCore): void {
  for (const distanceMetric of METRICS) {
    it(`finite on degenerate batches and duplicate rows (${distanceMetric})`, () => assertFiniteOnDegenerateBatches(core, { distanceMetric }));
  }
  it('does not leak tensors', () => {
    const [x] = randomColumns(3, 1, 6, 4);
    assertFlatTensorCount(() => void valueAndGrad(core, x, [0, 0, 1, 1, 2, 2]));
  });
}

/** Gradients against finite differences on cpu for each option set (6 rows, classes [0, 0, 1, 1, 2, 0]). */
export function batchTripletFiniteDifferenceSuite(name: string, core: BatchTripletCore, cases: object[], seed: number): void {
  describe(`${name} finite differences (cpu, float32)`, () => {
    before(async () => {
      await ready();
      await useBackend('cpu');
    });
    for (const o of cases) {
      it(JSON.stringify(o), () => assertMatchesFiniteDifferencesNearby((e) => core(e, tf.tensor1d([0, 0, 1, 1, 2, 0]), o as never), randomColumns(seed, 1, 6, 3), JSON.stringify(o)));
    }
  });
}
