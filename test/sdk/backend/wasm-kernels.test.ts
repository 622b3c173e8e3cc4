import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { assertClose } from '../../helpers/tf';
import { onBoth } from '../../helpers/on-both-backends';

before(async () => {
  await ready();
});


test('gather gradient (UnsortedSegmentSum) on wasm adds repeated indices like cpu', async () => {
  const { wasm, cpu } = await onBoth(async () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
    const w = tf.tensor2d([[1, 1], [2, 2], [3, 3], [4, 4]]);
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.gather(v, [1, 2, 1, 1]), w)))(x);
    const out = Array.from(await g.data());
    tf.dispose([x, w, g]);
    return out;
  });
  assert.deepEqual(wasm, [0, 0, 8, 8, 2, 2]);
  assert.deepEqual(wasm, cpu);
});

test('gather gradient with 2-D indices (token ids [B, T]) matches cpu', async () => {
  const { wasm, cpu } = await onBoth(async () => {
    const table = tf.tensor2d(Array.from({ length: 20 }, (_, i) => i / 7), [10, 2]);
    const ids = tf.tensor2d([[1, 3, 3], [0, 9, 1]], [2, 3], 'int32');
    const g = tf.grad((v: tf.Tensor) => tf.sum(tf.square(tf.gather(v, ids))))(table);
    const out = Array.from(await g.data());
    tf.dispose([table, ids, g]);
    return out;
  });
  assertClose(wasm, cpu, 1e-6, 'grad');
});

test('transposed matMul on wasm equals the plain product of explicit transposes', async () => {
  await useBackend('wasm');
  const a = tf.randomNormal([3, 5, 7], 0, 1, 'float32', 1);
  const b = tf.randomNormal([3, 4, 7], 0, 1, 'float32', 2);
  const c = tf.randomNormal([3, 5, 4], 0, 1, 'float32', 3);
  const viaFlag = tf.matMul(a, b, false, true);
  const viaTranspose = tf.matMul(a, tf.transpose(b, [0, 2, 1]));
  assertClose(await viaFlag.data(), await viaTranspose.data(), 1e-5, 'A·Bᵀ');
  const tA = tf.matMul(a, c, true, false);
  const tAref = tf.matMul(tf.transpose(a, [0, 2, 1]), c);
  assertClose(await tA.data(), await tAref.data(), 1e-5, 'Aᵀ·C');
  const d = tf.randomNormal([3, 6, 5], 0, 1, 'float32', 4);
  const both = tf.matMul(c, d, true, true);
  const bothRef = tf.matMul(tf.transpose(c, [0, 2, 1]), tf.transpose(d, [0, 2, 1]));
  assert.deepEqual(both.shape, [3, 4, 6]);
  assertClose(await both.data(), await bothRef.data(), 1e-5, 'Cᵀ·Aᵀ');
  const backend = tf.engine().backend;
  const before = backend.numDataIds();
  tf.matMul(a, b, false, true).dispose();
  tf.grad((x: tf.Tensor) => tf.sum(tf.gather(x, [0, 0, 2])))(a).dispose();
  assert.equal(backend.numDataIds(), before, 'the added kernels must free their temporaries');
  tf.dispose([a, b, c, d, viaFlag, viaTranspose, tA, tAref, both, bothRef]);
});
