// GELU as one kernel (backend/fused-gelu.ts): forward and gradient against the tfjs ops
// x·0.5·(1 + erf(x/√2)) on wasm (SIMD loop plus JavaScript tail) and cpu.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { erfApprox, gelu, geluOps, GELU_KERNEL } from '../../../sdk/src/backend/fused-gelu';
import { assertClose, assertNoLeak } from '../../helpers/tf';
import { onBoth } from '../../helpers/on-both-backends';

before(async () => {
  await ready();
});

// 1003 values: not a multiple of 4 (the wasm tail runs in JavaScript), from −12 to 12, and exact 0, ±4.
const xs = [...Array.from({ length: 1000 }, (_, i) => -12 + (24 * i) / 999), 0, 4, -4];
const weights = xs.map((_, i) => Math.cos(i * 0.7));

async function fusedAndOps(): Promise<{ fused: number[][]; ops: number[][] }> {
  const x = tf.tensor1d(xs);
  const w = tf.tensor1d(weights);
  const run = async (f: (t: tf.Tensor) => tf.Tensor) => {
    const y = f(x);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(f(t), w)))(x);
    const out = [Array.from(await y.data()), Array.from(await g.data())];
    tf.dispose([y, g]);
    return out;
  };
  const result = { fused: await run(gelu), ops: await run(geluOps) };
  tf.dispose([x, w]);
  return result;
}

test('the fused kernel is registered on wasm and cpu', async () => {
  await onBoth(async () => assert.ok(tf.getKernel(GELU_KERNEL, tf.getBackend()), `no ${GELU_KERNEL} on ${tf.getBackend()}`));
});

test('forward and gradient match the tfjs ops on wasm and cpu, and wasm matches cpu', async () => {
  const { wasm, cpu } = await onBoth(fusedAndOps);
  for (const [name, r] of Object.entries({ wasm, cpu })) {
    assertClose(r.fused[0], r.ops[0], 2e-6, `${name} gelu(x)`);
    assertClose(r.fused[1], r.ops[1], 2e-6, `${name} gelu'(x)·w`);
  }
  assertClose(wasm.fused[0], cpu.fused[0], 1e-6, 'wasm vs cpu forward');
  assertClose(wasm.fused[1], cpu.fused[1], 1e-6, 'wasm vs cpu gradient');
  // Fixed points: gelu(0) = 0 and gelu'(0) = 1/2 exactly; gelu(12) = 12, gelu(−12) ≈ 0 (−2e−32).
  for (const r of [wasm, cpu]) {
    assert.equal(r.fused[0][1000], 0);
    assert.equal(r.fused[1][1000], Math.fround(0.5 * Math.fround(weights[1000])));
    assert.equal(r.fused[0][999], 12);
    assert.ok(Math.abs(r.fused[0][0]) < 1e-6, `gelu(−12) = ${r.fused[0][0]}`);
  }
});

test('erfApprox is within 1e-6 of erf (series in float64) on [−5, 5]', () => {
  const erf = (z: number) => {
    let sum = 0;
    let term = z;
    for (let n = 0; n < 200; n++) {
      sum += term / (2 * n + 1);
      term *= (-z * z) / (n + 1);
    }
    return (2 / Math.sqrt(Math.PI)) * sum;
  };
  for (let z = -5; z <= 5; z += 0.01) assert.ok(Math.abs(erfApprox(z) - erf(z)) < 1e-6, `erf(${z}): ${erfApprox(z)} vs ${erf(z)}`);
});

test('gelu leaves no tensors behind and rejects int32 input', async () => {
  await useBackend('wasm');
  const x = tf.tensor2d([[1, -2, 3, 0.5, 7]]);
  await assertNoLeak('gelu + gradient', () => {
    tf.grad((t: tf.Tensor) => tf.sum(gelu(t)))(x).dispose();
  });
  assert.throws(() => gelu(tf.tensor1d([1, 2], 'int32')), /gelu: x must be float32; got int32/);
  x.dispose();
});
