// Batched matMuls whose N is not a multiple of 4 (attention scores [B·heads, T, T]) run our SIMD kernel on
// zero-padded columns (backend/wasm-padded-columns.ts): same values as cpu, gradients included, no leaks.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { dropPaddedColumns, padColumns, paddedWidth } from '../../../sdk/src/backend/wasm-padded-columns';
import { heapBackend } from '../../../sdk/src/backend/wasm-heap';
import { assertClose } from '../../helpers/tf';
import { onBoth } from '../../helpers/on-both-backends';

before(async () => {
  await ready();
  await useBackend('wasm');
});

test('paddedWidth rounds up to a multiple of 4', () => {
  assert.deepEqual([1, 3, 4, 5, 22, 64].map(paddedWidth), [4, 4, 4, 8, 24, 64]);
});

test('padColumns widens rows with zeros and dropPaddedColumns takes them back', async () => {
  await useBackend('wasm');
  const backend = heapBackend(tf.backend());
  const x = tf.tensor2d([[1, 2, 3, 4, 5], [6, 7, 8, 9, 10]]);
  const padded = padColumns(backend, x, 2, 5);
  assert.deepEqual(padded.shape, [2, 8]);
  assert.deepEqual(Array.from(backend.typedArrayFromHeap(padded)), [1, 2, 3, 4, 5, 0, 0, 0, 6, 7, 8, 9, 10, 0, 0, 0]);
  const back = backend.makeOutput([2, 5], 'float32');
  dropPaddedColumns(backend, padded, back, 2, 5);
  assert.deepEqual(Array.from(backend.typedArrayFromHeap(back)), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  backend.disposeData(padded.dataId);
  backend.disposeData(back.dataId);
  x.dispose();
});

const values = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

async function product(aShape: number[], bShape: number[], transposeB: boolean): Promise<{ shape: number[]; data: number[] }> {
  const a = tf.tensor(values(tf.util.sizeFromShape(aShape), (i) => Math.sin(i * 0.37)), aShape);
  const b = tf.tensor(values(tf.util.sizeFromShape(bShape), (i) => Math.cos(i * 0.11)), bShape);
  const c = tf.matMul(a, b, false, transposeB);
  const out = { shape: c.shape, data: Array.from(await c.data()) };
  tf.dispose([a, b, c]);
  return out;
}

test('batched products with N = 1, 2, 3, 5, 22 match cpu (attention Q·Kᵀ shapes, broadcast B)', async () => {
  const cases: [number[], number[], boolean][] = [
    [[3, 5, 7], [3, 7, 1], false],
    [[2, 4, 6], [2, 6, 2], false],
    [[2, 9, 3], [2, 3, 3], false],
    [[4, 6, 5], [5, 5], false],
    [[2, 4, 22, 16], [2, 4, 22, 16], true],
  ];
  for (const [aShape, bShape, tB] of cases) {
    const { wasm, cpu } = await onBoth(() => product(aShape, bShape, tB));
    assert.deepEqual(wasm.shape, cpu.shape);
    assertClose(wasm.data, cpu.data, 1e-5, `matMul ${aShape}·${bShape}${tB ? 'ᵀ' : ''}`);
  }
});

test('gradients through Q·Kᵀ with T = 7 match cpu and free every temporary', async () => {
  const run = async () => {
    const q = tf.tensor4d(values(2 * 3 * 7 * 8, (i) => Math.sin(i * 0.3)), [2, 3, 7, 8]);
    const k = tf.tensor4d(values(2 * 3 * 7 * 8, (i) => Math.cos(i * 0.2)), [2, 3, 7, 8]);
    const before = tf.engine().backend.numDataIds();
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y, false, true))))([q, k]);
    const out = await Promise.all(g.map(async (t) => Array.from(await t.data())));
    tf.dispose(g);
    const leaked = tf.engine().backend.numDataIds() - before;
    tf.dispose([q, k]);
    return { out, leaked };
  };
  const { wasm, cpu } = await onBoth(run);
  assert.equal(wasm.leaked, 0);
  assertClose(wasm.out[0], cpu.out[0], 1e-4, 'dQ');
  assertClose(wasm.out[1], cpu.out[1], 1e-4, 'dK');
});
