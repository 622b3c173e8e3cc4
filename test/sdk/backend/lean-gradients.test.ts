import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { leanVariableGrads } from '../../../sdk/src/backend/lean-gradients';
import { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { Pooling, Transformer } from '../../../sdk/src/modules';
import { defaultTokenizer } from '../../../sdk/src/tokenizers';
import { multipleNegativesRankingLoss } from '../../../sdk/src/losses/multiple-negatives-ranking-loss';

before(async () => {
  await ready();
});

for (const backend of ['wasm', 'cpu'] as const) {
  test(`same loss and gradients as tf.variableGrads, bit for bit (tiny Transformer + MNRL, ${backend})`, async () => {
    await useBackend(backend);
    const model = new SentenceTransformer([Transformer.random(defaultTokenizer(), { preset: 'tiny', maxSeqLength: 16, seed: 3 }), new Pooling(64)]);
    const vars = model.trainableWeights();
    const texts = [['a cat sits on the mat', 'the sun is bright today'], ['a cat is sitting', 'sunny weather outside']];
    const loss = () => multipleNegativesRankingLoss(texts.map((t) => model.embed(t)));
    const tensors = tf.memory().numTensors;
    const ids = tf.engine().backend.numDataIds();
    const lean = leanVariableGrads(loss, vars);
    const reference = tf.variableGrads(loss, vars);
    assert.equal(lean.value.dataSync()[0], reference.value.dataSync()[0]);
    assert.deepEqual(Object.keys(lean.grads).sort(), Object.keys(reference.grads).sort());
    assert.equal(Object.keys(lean.grads).length, vars.length);
    for (const name of Object.keys(reference.grads)) {
      assert.deepEqual(Array.from(lean.grads[name].dataSync()), Array.from(reference.grads[name].dataSync()), name);
    }
    tf.dispose([lean.value, reference.value, ...Object.values(lean.grads), ...Object.values(reference.grads)]);
    assert.equal(tf.memory().numTensors, tensors, 'no tensor left behind');
    assert.equal(tf.engine().backend.numDataIds(), ids, 'no buffer left behind');
    model.dispose();
    await useBackend('wasm');
  });
}

test('by the end of the backward pass the saved tensors and intermediate gradients are already freed', async () => {
  await useBackend('wasm');
  const w = tf.variable(tf.randomNormal([128, 128], 0, 0.1, 'float32', 5));
  let bytesAtFirstOp = 0;
  // The first op of the chain gets its gradient last: it records what the backward pass still holds then.
  const probe = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
    value: tf.mul(args[0] as tf.Tensor, 1),
    gradFunc: (dy: tf.Tensor) => {
      bytesAtFirstOp = tf.memory().numBytes;
      return tf.mul(dy, 1);
    },
  }));
  const chain = () => {
    let x = probe(w) as tf.Tensor;
    for (let i = 0; i < 40; i++) x = tf.tanh(tf.mul(x, 1.01));
    return tf.sum(x) as tf.Scalar;
  };
  const held = (grads: typeof leanVariableGrads) => {
    const r = grads(chain, [w]);
    tf.dispose([r.value, ...Object.values(r.grads)]);
    return bytesAtFirstOp;
  };
  const lean = held(leanVariableGrads);
  const reference = held(tf.variableGrads);
  const activation = 128 * 128 * 4;
  assert.ok(lean <= 8 * activation, `lean backward still holds ${lean / activation} activations at its last node`);
  assert.ok(reference >= 40 * activation, `tf.variableGrads holds ${reference / activation} activations there (expected the whole tape)`);
  w.dispose();
});

test('errors name what is wrong', async () => {
  await useBackend('wasm');
  const frozen = tf.variable(tf.ones([2]), false);
  assert.throws(() => leanVariableGrads(() => tf.sum(frozen) as tf.Scalar, [frozen]), /leanVariableGrads expects at least one trainable variable; got 1 variables, none trainable/);
  const w = tf.variable(tf.ones([2]));
  assert.throws(() => leanVariableGrads(() => tf.mul(w, 2) as unknown as tf.Scalar, [w]), /must return a scalar tensor; got rank 1/);
  assert.throws(() => leanVariableGrads(() => tf.scalar(1), [w]), /Cannot find a connection between any variable and the result/);
  tf.dispose([frozen, w]);
});
