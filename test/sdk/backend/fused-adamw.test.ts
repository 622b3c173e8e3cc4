import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { FUSED_ADAMW_KERNEL, adamwStep, type AdamWStepOptions } from '../../../sdk/src/backend/fused-adamw';
import { AdamW } from '../../../sdk/src/training/adamw';

before(async () => {
  await ready();
});

const OPTIONS: AdamWStepOptions = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.01, step: 3 };

/** p, g, m, v of shape [rows, cols]: g nonzero in the first 3 rows, m and v in the first 5, the rest untouched. */
function state(shape: number[]): tf.Tensor[] {
  return tf.tidy(() => {
    const rows = shape[0];
    // Multiplying by 0 leaves −0 where the random value was negative: the kernels must keep those signs too.
    const rowMask = (n: number) => tf.reshape(tf.concat([tf.ones([Math.min(n, rows)]), tf.zeros([Math.max(0, rows - n)])]), shape.length > 1 ? [rows, 1] : [rows]);
    const p = tf.randomNormal(shape, 0, 1, 'float32', 1);
    const g = tf.mul(tf.randomNormal(shape, 0, 1, 'float32', 2), rowMask(3));
    const m = tf.mul(tf.randomNormal(shape, 0, 0.1, 'float32', 3), rowMask(5));
    const v = tf.mul(tf.abs(tf.randomNormal(shape, 0, 0.01, 'float32', 4)), rowMask(5));
    return [p, g, m, v];
  });
}

/** The fused kernel's outputs and those of the same formula as separate tfjs ops, on the active backend. */
async function fusedAndOps(shape: number[], options = OPTIONS): Promise<{ fused: Float32Array[]; ops: Float32Array[] }> {
  const [p, g, m, v] = state(shape);
  const fusedOut = adamwStep(p, g, m, v, options);
  const kernel = tf.getKernel(FUSED_ADAMW_KERNEL, tf.getBackend())!;
  tf.unregisterKernel(FUSED_ADAMW_KERNEL, tf.getBackend());
  const opsOut = adamwStep(p, g, m, v, options);
  tf.registerKernel(kernel);
  const read = (ts: tf.Tensor[]) => Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
  const out = { fused: await read(fusedOut), ops: await read(opsOut) };
  tf.dispose([p, g, m, v, ...fusedOut, ...opsOut]);
  return out;
}

for (const backend of ['wasm', 'cpu'] as const) {
  for (const [shape, path] of [[[9, 8], 'rows of 8'], [[7, 5], 'rows of 5: JavaScript loop on wasm too'], [[12], 'a vector']] as const) {
    test(`fused AdamW equals the tfjs-ops formula bit for bit on ${backend}, shape [${shape}] (${path})`, async () => {
      await useBackend(backend);
      const { fused, ops } = await fusedAndOps([...shape]);
      ['weight', 'm', 'v'].forEach((name, k) => assert.deepEqual(Array.from(fused[k]), Array.from(ops[k]), `${name} on ${backend}`));
      await useBackend('wasm');
    });
  }
}

test('untouched rows (g = m = v = 0) only decay; without weight decay they stay exactly', async () => {
  await useBackend('wasm');
  const p = tf.tensor2d([[1, 2, 3, 4], [5, 6, 7, 8]]);
  const g = tf.tensor2d([[1, 1, 1, 1], [0, 0, 0, 0]]);
  const zeros = tf.zerosLike(p);
  const [p1, m1, v1] = adamwStep(p, g, zeros, zeros, { ...OPTIONS, step: 1 });
  const w = await p1.data();
  assert.deepEqual(Array.from(w.slice(4)), [5, 6, 7, 8].map((x) => Math.fround(x * Math.fround(1 - 1e-3 * 0.01))));
  // First step of Adam moves each touched weight by lr·sign(g) (up to ε).
  Array.from(w.slice(0, 4)).forEach((x, i) => assert.ok(Math.abs(x - ((i + 1) * (1 - 1e-5) - 1e-3)) < 1e-6, `row 0[${i}] = ${x}`));
  assert.deepEqual(Array.from(await m1.data()), [0.1, 0.1, 0.1, 0.1, 0, 0, 0, 0].map(Math.fround));
  const [p2] = adamwStep(p, g, zeros, zeros, { ...OPTIONS, weightDecay: 0, step: 1 });
  assert.deepEqual(Array.from((await p2.data()).slice(4)), [5, 6, 7, 8]);
  tf.dispose([p, g, zeros, p1, m1, v1, p2]);
});

test('fused AdamW names a mismatched gradient', async () => {
  await useBackend('wasm');
  const p = tf.zeros([2, 4]);
  const g = tf.zeros([4, 2]);
  assert.throws(() => adamwStep(p, g, p, p, OPTIONS), /AdamW: g has shape \[4,2\] but the weight has shape \[2,4\]/);
  tf.dispose([p, g]);
});

test('AdamW steps on wasm leave no tensors or buffers behind', async () => {
  await useBackend('wasm');
  const w = tf.variable(tf.randomNormal([6, 4], 0, 1, 'float32', 7));
  const b = tf.variable(tf.zeros([4]));
  const opt = new AdamW([w, b], { weightDecay: 0.1 });
  const backend = tf.engine().backend;
  const loss = () => tf.sum(tf.square(tf.add(tf.matMul(tf.ones([2, 6]), w), b))) as tf.Scalar;
  const step = () => {
    const { value, grads } = tf.variableGrads(loss, [w, b]);
    opt.apply(grads, 0.01);
    tf.dispose([value, ...Object.values(grads)]);
  };
  step();
  const tensors = tf.memory().numTensors;
  const ids = backend.numDataIds();
  step();
  step();
  assert.equal(tf.memory().numTensors, tensors);
  assert.equal(backend.numDataIds(), ids);
  tf.dispose([w, b]);
  opt.dispose();
});
