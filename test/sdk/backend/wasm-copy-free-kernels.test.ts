import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { isNoOpPermutation } from '../../../sdk/src/backend/wasm-copy-free-kernels';

before(async () => {
  await ready();
  await useBackend('wasm');
});

test('isNoOpPermutation: only moves of size-1 axes count as no-ops', () => {
  assert.equal(isNoOpPermutation([3, 4], [0, 1]), true);
  assert.equal(isNoOpPermutation([1, 4], [1, 0]), true);
  assert.equal(isNoOpPermutation([3, 1, 4], [1, 0, 2]), true);
  assert.equal(isNoOpPermutation([3, 4], [1, 0]), false);
  assert.equal(isNoOpPermutation([2, 1, 3], [2, 1, 0]), false);
});

test('clone shares the data on wasm (no new buffer) and outlives the original', async () => {
  const x = tf.tensor2d([[1, 2], [3, 4]]);
  const backend = tf.engine().backend;
  const ids = backend.numDataIds();
  const y = x.clone();
  assert.equal(backend.numDataIds(), ids, 'a clone must not allocate');
  x.dispose();
  assert.deepEqual(Array.from(await y.data()), [1, 2, 3, 4]);
  y.dispose();
  assert.equal(backend.numDataIds(), ids - 1, 'the buffer is freed with its last tensor');
});

test('a variable assigned after a clone leaves the clone unchanged', async () => {
  const v = tf.variable(tf.tensor1d([1, 2, 3]));
  const saved = v.clone();
  v.assign(tf.tensor1d([7, 8, 9]));
  assert.deepEqual(Array.from(await saved.data()), [1, 2, 3]);
  assert.deepEqual(Array.from(await v.data()), [7, 8, 9]);
  tf.dispose([v, saved]);
});

test('no-op transposes share data and take the permuted shape; real ones still transpose', async () => {
  const row = tf.tensor2d([[1, 2, 3]]);
  const backend = tf.engine().backend;
  const ids = backend.numDataIds();
  const col = tf.transpose(row, [1, 0]);
  assert.equal(backend.numDataIds(), ids);
  assert.deepEqual(col.shape, [3, 1]);
  assert.deepEqual(Array.from(await col.data()), [1, 2, 3]);
  const m = tf.tensor2d([[1, 2], [3, 4]]);
  const mt = tf.transpose(m);
  assert.deepEqual(Array.from(await mt.data()), [1, 3, 2, 4]);
  tf.dispose([row, col, m, mt]);
});

test('gradients through ops that save their inputs are unchanged and leave no buffers behind', async () => {
  const x = tf.tensor2d([[0.5, -1], [2, 3]]);
  const backend = tf.engine().backend;
  const ids = backend.numDataIds();
  const g = tf.grad((a: tf.Tensor) => tf.sum(tf.mul(tf.square(a), tf.exp(a))))(x);
  const expected = [0.5, -1, 2, 3].map((a) => 2 * a * Math.exp(a) + a * a * Math.exp(a));
  const got = Array.from(await g.data());
  got.forEach((v, i) => assert.ok(Math.abs(v - expected[i]) < 1e-4 * Math.max(1, Math.abs(expected[i])), `grad[${i}] ${v} vs ${expected[i]}`));
  g.dispose();
  assert.equal(backend.numDataIds(), ids);
  x.dispose();
});

test('the same data as matMul operand B under two shapes ([3, 1], then [1, 3] via a shared transpose) stays correct', async () => {
  // XNNPACK caches its packed B per tensor id; shared data must not reuse an operator built for another shape.
  const run = async () => {
    const b = tf.tensor2d([[1], [2], [3]]);
    const saved = b.clone();
    const outer = tf.matMul(tf.tensor2d([[1], [-1]]), saved, false, true); // [2, 1]·[1, 3]
    const inner = tf.matMul(tf.tensor2d([[1, 1, 1], [0, 1, 0]]), b); // [2, 3]·[3, 1]
    const again = tf.matMul(tf.tensor2d([[2], [0]]), b, false, true);
    const out = [await outer.data(), await inner.data(), await again.data()].map((d) => Array.from(d));
    tf.dispose([b, saved, outer, inner, again]);
    return out;
  };
  await useBackend('wasm');
  const wasm = await run();
  assert.deepEqual(wasm, [[1, 2, 3, -1, -2, -3], [6, 2], [2, 4, 6, 0, 0, 0]]);
});
