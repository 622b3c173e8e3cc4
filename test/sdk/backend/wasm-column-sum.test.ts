// Sum over leading axes on wasm as a SIMD column sum (backend/wasm-column-sum.ts): same values as cpu,
// keepDims and negative axes included; other reductions keep wasm's own kernel.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { leadingAxes } from '../../../sdk/src/backend/wasm-column-sum';
import { assertClose } from '../../helpers/tf';
import { onBoth } from '../../helpers/on-both-backends';

before(async () => {
  await ready();
});

test('leadingAxes: the count of axes 0..k−1 when that is exactly what is reduced', () => {
  assert.equal(leadingAxes(0, 2), 1);
  assert.equal(leadingAxes([1, 0], 3), 2);
  assert.equal(leadingAxes([-3, -2], 3), 2);
  assert.equal(leadingAxes([0, 1], 2), 0, 'every axis: a full reduction, not a column sum');
  assert.equal(leadingAxes([1], 2), 0);
  assert.equal(leadingAxes([0, 2], 3), 0);
});

const cases: [number[], number | number[], boolean][] = [
  [[704, 1024], 0, false],
  [[5, 7, 8], [0, 1], false],
  [[5, 7, 8], [-3, -2], true],
  [[3, 6], 0, false], // 6 columns: wasm's kernel
  [[3, 8], 1, false], // the last axis: wasm's kernel
  [[4, 8], [0, 1], false],
];

test('sums match cpu for leading axes, keepDims, and the reductions left to wasm', async () => {
  for (const [shape, axis, keepDims] of cases) {
    const { wasm, cpu } = await onBoth(async () => {
      const x = tf.tensor(Array.from({ length: tf.util.sizeFromShape(shape) }, (_, i) => Math.sin(i * 0.37) * (1 + (i % 5))), shape);
      const s = tf.sum(x, axis, keepDims);
      const out = { shape: s.shape, data: Array.from(await s.data()) };
      tf.dispose([x, s]);
      return out;
    });
    assert.deepEqual(wasm.shape, cpu.shape, `shape of sum ${JSON.stringify(axis)} of [${shape}]`);
    assertClose(wasm.data, cpu.data, 1e-5, `sum ${JSON.stringify(axis)} of [${shape}]`);
  }
});

test('the gradient of a bias add (a column sum) matches cpu and frees its buffers', async () => {
  const { wasm, cpu } = await onBoth(async () => {
    const x = tf.tensor2d(Array.from({ length: 48 }, (_, i) => Math.cos(i)), [6, 8]);
    const b = tf.tensor1d(Array.from({ length: 8 }, (_, i) => i / 8));
    const ids = tf.engine().backend.numDataIds();
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.square(tf.add(x, t))))(b);
    const out = Array.from(await g.data());
    g.dispose();
    assert.equal(tf.engine().backend.numDataIds(), ids);
    tf.dispose([x, b]);
    return out;
  });
  assertClose(wasm, cpu, 1e-5, 'dBias');
});
