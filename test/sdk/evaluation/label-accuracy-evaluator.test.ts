import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { LabelAccuracyEvaluator } from '../../../sdk/src/evaluation/label-accuracy-evaluator';

// A fixed classifier: class = (length of texts1 + length of texts2) mod 3, as one-hot logits.
function predict(t1: string[], t2: string[]): tf.Tensor2D {
  return tf.oneHot(tf.tensor1d(t1.map((t, i) => (t.length + t2[i].length) % 3), 'int32'), 3).toFloat() as tf.Tensor2D;
}

describe('LabelAccuracyEvaluator', () => {
  before(async () => {
    await ready();
  });
  const s1 = ['a', 'bb', 'ccc', 'dddd', 'e', 'ff', 'g'];
  const s2 = ['x', 'x', 'x', 'x', 'xx', 'xx', 'xxx'];
  // True classes: 2, 0, 1, 2, 0, 1, 1 → five labels right, two wrong.
  const labels = [2, 0, 1, 2, 1, 0, 1];

  it('accuracy over batches, counted in tf and read once', async () => {
    const ev = new LabelAccuracyEvaluator({ sentences1: s1, sentences2: s2, labels, predict, batchSize: 3, name: 'nli' });
    const n = tf.memory().numTensors;
    const r = await ev.evaluate();
    assert.equal(tf.memory().numTensors, n);
    assert.deepEqual(r, { metrics: { nli_accuracy: 5 / 7 }, primaryMetric: 'nli_accuracy', greaterIsBetter: true });
  });

  it('names a label the classifier cannot produce and logits of the wrong shape, without leaking', async () => {
    const n = tf.memory().numTensors;
    const bad = new LabelAccuracyEvaluator({ sentences1: s1, sentences2: s2, labels: [0, 0, 0, 0, 5, 0, 0], predict, batchSize: 4 });
    await assert.rejects(bad.evaluate(), /LabelAccuracyEvaluator: label 5 in rows 4\.\.6 needs at least 6 logits; predict returned 3/);
    const wrong = new LabelAccuracyEvaluator({ sentences1: s1, sentences2: s2, labels, predict: () => tf.zeros([2, 3]) as tf.Tensor2D });
    await assert.rejects(wrong.evaluate(), /predict must return logits \[7, numLabels\] for rows 0\.\.6; got \[2, 3\]/);
    assert.equal(tf.memory().numTensors, n, 'failed evaluations leave no tensors');
    assert.throws(() => new LabelAccuracyEvaluator({ sentences1: ['a'], sentences2: ['b'], labels: [0.5], predict }), /labels must be class ids \(integers >= 0\); found 0.5 at row 0/);
  });
});
