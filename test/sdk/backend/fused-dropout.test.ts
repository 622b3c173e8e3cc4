// Dropout as one kernel (backend/fused-dropout.ts): the mask is a hash of the element index and two seeds,
// the same in the SIMD loop, its JavaScript tail and on cpu; the gradient regenerates it.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { dropout, dropoutHash, DROPOUT_KERNEL } from '../../../sdk/src/backend/fused-dropout';
import { assertNoLeak } from '../../helpers/tf';
import { onBoth } from '../../helpers/on-both-backends';

before(async () => {
  await ready();
});

const N = 4003; // not a multiple of 4: the last 3 elements take the JavaScript loop on wasm
const xs = Array.from({ length: N }, (_, i) => 1 + (i % 17));
const dys = Array.from({ length: N }, (_, i) => Math.sin(i));

async function forwardAndGrad(rate: number, seeds: [number, number]): Promise<{ y: Float32Array; dx: Float32Array }> {
  const x = tf.tensor1d(xs);
  const dy = tf.tensor1d(dys);
  const y = dropout(x, rate, seeds);
  const dx = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(dropout(t, rate, seeds), dy)))(x);
  const out = { y: (await y.data()) as Float32Array, dx: (await dx.data()) as Float32Array };
  tf.dispose([x, dy, y, dx]);
  return out;
}

test('registered on wasm and cpu', async () => {
  await onBoth(async () => assert.ok(tf.getKernel(DROPOUT_KERNEL, tf.getBackend())));
});

test('wasm and cpu draw the same mask from the same seeds; kept values are x/(1−rate), the rest 0', async () => {
  const { wasm, cpu } = await onBoth(() => forwardAndGrad(0.1, [12345, -987654]));
  assert.deepEqual(Array.from(wasm.y), Array.from(cpu.y));
  const scale = Math.fround(1 / 0.9);
  let kept = 0;
  for (let i = 0; i < N; i++) {
    const keep = dropoutHash(i, 12345, -987654) >>> 8 >= Math.round(0.1 * 2 ** 24);
    assert.equal(wasm.y[i], keep ? Math.fround(xs[i] * scale) : 0, `y[${i}]`);
    if (keep) kept++;
  }
  // 4003 draws at keep 0.9: 3603 expected, σ ≈ 19.
  assert.ok(kept > 3540 && kept < 3666, `kept ${kept} of ${N}`);
});

test('the gradient is dy/(1−rate) exactly where the forward kept x, on both backends', async () => {
  const { wasm, cpu } = await onBoth(() => forwardAndGrad(0.3, [7, 11]));
  const scale = Math.fround(1 / 0.7);
  for (const r of [wasm, cpu]) {
    for (let i = 0; i < N; i++) assert.equal(r.dx[i], r.y[i] === 0 ? 0 : Math.fround(Math.fround(dys[i]) * scale), `dx[${i}]`);
  }
});

test('other seeds give another mask; rate 0 keeps everything; rate 1 is rejected; no leaks', async () => {
  await useBackend('wasm');
  const a = await forwardAndGrad(0.5, [1, 2]);
  const b = await forwardAndGrad(0.5, [1, 3]);
  const same = a.y.filter((v, i) => (v === 0) === (b.y[i] === 0)).length;
  assert.ok(same > 1850 && same < 2150, `${same} of ${N} mask entries agree (expected about half)`);
  const all = await forwardAndGrad(0, [1, 2]);
  assert.deepEqual(Array.from(all.y), xs);
  const x = tf.ones([8]);
  assert.throws(() => dropout(x, 1), /dropout: rate must be in \[0, 1\); got 1/);
  await assertNoLeak('dropout + gradient', () => {
    tf.grad((t: tf.Tensor) => tf.sum(dropout(t, 0.2)))(x).dispose();
  });
  x.dispose();
});
