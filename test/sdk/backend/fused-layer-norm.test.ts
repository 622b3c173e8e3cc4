// LayerNorm as one kernel (backend/fused-layer-norm.ts): forward and the gradients of x, γ and β against
// the tfjs ops (moments, sub, div, mul, add) on wasm (SIMD rows; JavaScript for rows not a multiple of 4)
// and cpu.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { layerNorm, layerNormOps, LAYER_NORM_KERNEL } from '../../../sdk/src/backend/fused-layer-norm';
import { assertClose, assertNoLeak } from '../../helpers/tf';
import { onBoth } from '../../helpers/on-both-backends';

before(async () => {
  await ready();
});

type Norm = (x: tf.Tensor, g: tf.Tensor, b: tf.Tensor, eps: number) => tf.Tensor;

/** y and the gradients of Σ y·w with respect to x, γ, β, for a [2, 3, h] input. */
async function run(norm: Norm, h: number, eps: number): Promise<number[][]> {
  const n = 2 * 3 * h;
  const x = tf.tensor3d(Array.from({ length: n }, (_, i) => Math.sin(i * 1.3) * 3 + (i % h === 0 ? 5 : 0)), [2, 3, h]);
  const g = tf.tensor1d(Array.from({ length: h }, (_, i) => 1 + 0.1 * i));
  const b = tf.tensor1d(Array.from({ length: h }, (_, i) => 0.05 * i - 0.2));
  const w = tf.tensor3d(Array.from({ length: n }, (_, i) => Math.cos(i * 0.7)), [2, 3, h]);
  const y = norm(x, g, b, eps);
  const grads = tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(tf.mul(norm(a, c, d, eps), w)))([x, g, b]);
  const out = await Promise.all([y, ...grads].map(async (t) => Array.from(await t.data())));
  tf.dispose([x, g, b, w, y, ...grads]);
  return out;
}

for (const h of [256, 8, 6]) {
  test(`hidden ${h}: forward and dx, dγ, dβ match the tfjs ops on wasm and cpu`, async () => {
    const { wasm, cpu } = await onBoth(async () => ({ fused: await run(layerNorm, h, 1e-12), ops: await run(layerNormOps, h, 1e-12) }));
    const names = ['y', 'dx', 'dγ', 'dβ'];
    for (const [backend, r] of Object.entries({ wasm, cpu })) {
      names.forEach((name, i) => assertClose(r.fused[i], r.ops[i], 1e-5, `${backend} ${name}`));
    }
    names.forEach((name, i) => assertClose(wasm.fused[i], cpu.fused[i], 1e-5, `wasm vs cpu ${name}`));
  });
}

test('a constant row normalizes to β with eps 1e-5 (no division by zero)', async () => {
  const { wasm, cpu } = await onBoth(async () => {
    const y = layerNorm(tf.fill([1, 4], 3), tf.tensor1d([1, 2, 3, 4]), tf.tensor1d([0.5, 0, -1, 2]), 1e-5);
    const out = Array.from(await y.data());
    y.dispose();
    return out;
  });
  assert.deepEqual(wasm, [0.5, 0, -1, 2]);
  assert.deepEqual(cpu, [0.5, 0, -1, 2]);
});

test('registered on both backends; no leaks; wrong γ shape and dtype are named', async () => {
  await onBoth(async () => assert.ok(tf.getKernel(LAYER_NORM_KERNEL, tf.getBackend())));
  await useBackend('wasm');
  const x = tf.randomNormal([4, 8], 0, 1, 'float32', 3);
  const g = tf.ones([8]);
  const b = tf.zeros([8]);
  await assertNoLeak('layerNorm + gradients', () => {
    tf.dispose(tf.grads((a: tf.Tensor, c: tf.Tensor, d: tf.Tensor) => tf.sum(layerNorm(a, c, d, 1e-12)))([x, g, b]));
  });
  assert.throws(() => layerNorm(x, tf.ones([7]), b, 1e-12), /layerNorm: gamma must have shape \[8\] \(the last axis of x\); got \[7\]/);
  assert.throws(() => layerNorm(tf.ones([2, 8], 'int32'), g, b, 1e-12), /layerNorm: x must be float32; got int32/);
  tf.dispose([x, g, b]);
});
