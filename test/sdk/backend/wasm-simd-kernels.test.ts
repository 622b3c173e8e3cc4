import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { sleb, uleb } from '../../../sdk/src/backend/wasm-simd-assembler';
import { assertClose } from '../../helpers/tf';

before(async () => {
  await ready();
});

test('LEB128 encodings', () => {
  assert.deepEqual(uleb(0), [0]);
  assert.deepEqual(uleb(127), [127]);
  assert.deepEqual(uleb(128), [0x80, 0x01]);
  assert.deepEqual(uleb(624485), [0xe5, 0x8e, 0x26]);
  assert.deepEqual(sleb(-1), [0x7f]);
  assert.deepEqual(sleb(63), [63]);
  assert.deepEqual(sleb(64), [0xc0, 0x00]);
  assert.deepEqual(sleb(-123456), [0xc0, 0xbb, 0x78]);
});

/** matMul on wasm (our batched SIMD kernel where it applies) against the cpu backend. */
async function againstCpu(aShape: number[], bShape: number[], transposeA = false, transposeB = false): Promise<number[]> {
  const a = Array.from(tf.util.sizeFromShape(aShape) ? { length: tf.util.sizeFromShape(aShape) } : [], (_, i) => Math.sin(i * 0.37) * 2);
  const b = Array.from({ length: tf.util.sizeFromShape(bShape) }, (_, i) => Math.cos(i * 0.11));
  const run = async () => {
    const out = tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB);
    const values = { shape: out.shape, data: Array.from(await out.data()) };
    out.dispose();
    return values;
  };
  await useBackend('wasm');
  const wasm = await run();
  await useBackend('cpu');
  const cpu = await run();
  await useBackend('wasm');
  assert.deepEqual(wasm.shape, cpu.shape);
  assertClose(wasm.data, cpu.data, 1e-5, `matMul ${JSON.stringify(aShape)}·${JSON.stringify(bShape)}`);
  return wasm.shape;
}

test('batched matMul: row and column remainders (M % 4, N % 8 = 4), K = 1', async () => {
  assert.deepEqual(await againstCpu([3, 5, 7], [3, 7, 12]), [3, 5, 12]);
  assert.deepEqual(await againstCpu([2, 9, 1], [2, 1, 8]), [2, 9, 8]);
  assert.deepEqual(await againstCpu([2, 3, 4, 6], [2, 3, 6, 4]), [2, 3, 4, 4]);
});

test('batched matMul broadcasts an unbatched side and handles transposes', async () => {
  assert.deepEqual(await againstCpu([4, 6, 5], [5, 8]), [4, 6, 8]);
  assert.deepEqual(await againstCpu([1, 6, 5], [3, 5, 8]), [3, 6, 8]);
  assert.deepEqual(await againstCpu([2, 12, 64, 32], [2, 12, 64, 32], false, true), [2, 12, 64, 64]);
  assert.deepEqual(await againstCpu([2, 12, 64, 64], [2, 12, 64, 32], true, false), [2, 12, 64, 32]);
});

test('shapes our kernel does not take (N not a multiple of 4, single matrices) still match cpu', async () => {
  assert.deepEqual(await againstCpu([3, 4, 5], [3, 5, 6]), [3, 4, 6]);
  assert.deepEqual(await againstCpu([17, 9], [9, 20]), [17, 20]);
});

test('gradients of a batched matMul match cpu and free their buffers', async () => {
  const grads = async () => {
    const a = tf.tensor3d(Array.from({ length: 2 * 5 * 3 }, (_, i) => Math.sin(i)), [2, 5, 3]);
    const b = tf.tensor3d(Array.from({ length: 2 * 3 * 4 }, (_, i) => Math.cos(i)), [2, 3, 4]);
    const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.square(tf.matMul(x, y))))([a, b]);
    const out = await Promise.all(g.map(async (t) => Array.from(await t.data())));
    tf.dispose([a, b, ...g]);
    return out;
  };
  await useBackend('wasm');
  const backend = tf.engine().backend;
  const ids = backend.numDataIds();
  const wasm = await grads();
  assert.equal(backend.numDataIds(), ids);
  await useBackend('cpu');
  const cpu = await grads();
  await useBackend('wasm');
  assertClose(wasm[0], cpu[0], 1e-5, 'dA');
  assertClose(wasm[1], cpu[1], 1e-5, 'dB');
});
