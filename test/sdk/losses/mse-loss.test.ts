import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { MSELoss, mseLoss } from '../../../sdk/src/losses/mse-loss';
import { assertAllClose, assertFlatTensorCount, assertMatchesFiniteDifferences, randomColumns, valueAndEmbeddingGrads, type Matrix } from './gradient-checks';
import { referenceFixtureSuite } from './reference-fixture-suite';
import { ANCHORS, POSITIVES, batchOf, tinyStaticModel, trainSteps } from './tiny-models';

const mse = (labels: number[][] | number[][][]) => (e: tf.Tensor2D[]) => mseLoss(e, tf.tensor(labels));

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`mseLoss on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });

    it('hand-derived case: mean over all entries of (s − t)²', () => {
      const { value, grads } = valueAndEmbeddingGrads(mse([[0, 0]]), [[[1, 2]]]);
      assertAllClose(value, 2.5, { atol: 1e-7 });
      assertAllClose(grads, [[[1, 2]]], { atol: 1e-7 }); // 2(s − t)/N
    });

    it('[B, d] labels are the target of every column (multilingual); the loss is the mean over columns', () => {
      // source (1, 2) and translation (0, 4) both pulled to (0, 0): (2.5 + 8) / 2
      const { value, grads } = valueAndEmbeddingGrads(mse([[0, 0]]), [[[1, 2]], [[0, 4]]]);
      assertAllClose(value, 5.25, { atol: 1e-6 });
      assertAllClose(grads, [[[0.5, 1]], [[0, 2]]], { atol: 1e-6 });
    });

    it('[B, n_columns, d] labels give one target per column', () => {
      const value = tf.tidy(() => mse([[[1, 2], [0, 0]]])([tf.tensor2d([[1, 2]]), tf.tensor2d([[0, 4]])]).arraySync());
      assertAllClose(value, 4, { atol: 1e-6 }); // column 0 exact, column 1: 16 / 2 = 8
    });

    it('projection: s = x·Wᵀ + b before the comparison, with gradients for W and b', () => {
      const xs = [tf.tensor2d([[1, 2]]), tf.tensor2d([[1, 1]]), tf.tensor1d([0.5])];
      const { value, grads } = tf.valueAndGrads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
        mseLoss([x as tf.Tensor2D], tf.tensor2d([[1]]), { projectionDim: 1, weight: w as tf.Tensor2D, bias: b as tf.Tensor1D }),
      )(xs);
      // s = 1 + 2 + 0.5 = 3.5, (3.5 − 1)² = 6.25; dL/ds = 5.
      assertAllClose(value.arraySync() as number, 6.25, { atol: 1e-6 });
      assertAllClose(grads.map((g) => g.arraySync() as number[] | Matrix), [[[5, 5]], [[5, 10]], [5]], { atol: 1e-5 });
      tf.dispose([value, ...grads, ...xs]);
    });

    it('does not leak tensors', () => {
      const [x, y] = randomColumns(3, 2, 4, 5);
      assertFlatTensorCount(() => void valueAndEmbeddingGrads(mse(y), [x, x]));
    });
  });
}

describe('mseLoss finite differences (cpu, float32)', () => {
  before(async () => {
    await ready();
    await useBackend('cpu');
  });
  it('two columns, 2-D labels', () => {
    const [a, b, t] = randomColumns(4, 3, 3, 4);
    assertMatchesFiniteDifferences(mse(t), [a, b], 'mse');
  });
});

describe('mseLoss errors', () => {
  before(ready);
  it('names the loss, the expected labels and what was given', () => {
    const a = tf.zeros([2, 3]) as tf.Tensor2D;
    assert.throws(() => mseLoss([], tf.zeros([2, 3])), /^Error: MSELoss expects one or more text columns \(at least 1 text columns\); got 0$/);
    assert.throws(() => mseLoss([a], undefined), /^Error: MSELoss expects labels \(teacher embeddings: \[2, 3\] \(one target for every column\) or \[2, 1, 3\] \(one per column\)\); got no label column$/);
    assert.throws(() => mseLoss([a], tf.zeros([2])), /^Error: MSELoss expects labels = teacher embeddings: \[2, 3\] \(one target for every column\) or \[2, 1, 3\] \(one per column\); got shape \[2\]$/);
    assert.throws(() => mseLoss([a, a], tf.zeros([2, 3, 3])), /MSELoss expects labels = teacher embeddings: \[2, 3\] .* or \[2, 2, 3\] \(one per column\); got shape \[2, 3, 3\]/);
    assert.throws(() => mseLoss([a], tf.zeros([2, 4])), /got shape \[2, 4\]/);
    assert.throws(() => mseLoss([a], tf.zeros([2, 4]), { projectionDim: 4 }), /^Error: MSELoss: projectionDim 4 needs the projection as options.weight \[4, 3\] and options.bias \[4\]$/);
    assert.throws(() => mseLoss([a], tf.zeros([2, 4]), { projectionDim: 4, weight: tf.zeros([4, 2]) as tf.Tensor2D }), /MSELoss: projection weight must have shape \[4, 3\]; got \[4, 2\]/);
    assert.throws(() => mseLoss([a], tf.zeros([2, 4]), { projectionDim: 1.5 }), /MSELoss: projectionDim must be a positive integer or null; got 1.5/);
    a.dispose();
  });
});

describe('MSELoss class (StaticEmbedding, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('forward is the functional core; the projection is a loss-owned Dense (identity) in trainableWeights', () => {
    const model = tinyStaticModel();
    const loss = new MSELoss(model, { projectionDim: 8 });
    assert.equal(loss.name, 'MSELoss');
    assert.equal(loss.distanceMetric, 'mse');
    const projection = loss.projection!;
    assert.deepEqual(projection.kernel.shape, [16, 8]);
    assert.equal(loss.trainableWeights().length, model.trainableWeights().length + 2);
    const teacher = tf.tensor2d(randomColumns(5, 1, 6, 8)[0]);
    const [viaClass, direct] = tf.tidy(() => [
      loss.forward(batchOf([ANCHORS], ['english'], teacher)).arraySync(),
      mseLoss([model.embed(ANCHORS)], teacher, { projectionDim: 8, weight: tf.transpose(projection.kernel) as tf.Tensor2D, bias: projection.bias as tf.Tensor1D }).arraySync(),
    ]);
    assertAllClose(viaClass, direct, { atol: 1e-6 });
    loss.dispose();
    assert.ok(projection.kernel.isDisposed);
    teacher.dispose();
    model.dispose();
  });

  it('trains: source and translation pulled to the teacher embedding, flat tensor count', () => {
    const student = tinyStaticModel(1);
    const teacherModel = tinyStaticModel(2);
    const teacher = teacherModel.embed(ANCHORS);
    const values = trainSteps(new MSELoss(student), batchOf([ANCHORS, POSITIVES], ['english', 'translation'], teacher), 6, 5e-2);
    assert.ok(values[values.length - 1] < values[0] * 0.8, `loss ${values.join(' → ')}`);
    teacher.dispose();
    teacherModel.dispose();
    student.dispose();
  });
});

referenceFixtureSuite('MSELoss', mseLoss);
