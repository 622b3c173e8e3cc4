// Inverted dropout as one kernel on wasm and cpu whose mask is a hash of the element index and two random
// seeds: the gradient recomputes the same mask from the seeds, so nothing is saved for the backward pass.
// tf.dropout drew a tensor of uniforms with a JavaScript PRNG, then add, floor, div and mul (~25 ns per
// element on wasm, ~120 ms of a small-Transformer step), and its tape kept the mask and x.
//   forward:  y_i = x_i / (1 − rate)  if keep(i), else 0;   keep(i) ⇔ hash(i) >>> 8 ≥ round(rate · 2²⁴)
//   gradient: dx_i = dy_i / (1 − rate) if keep(i), else 0   (the same kernel applied to dy)
// hash = lowbias32(lowbias32(i + seedA) ^ seedB), 32-bit integer arithmetic; the SIMD loop
// (wasm-simd-elementwise.ts) and the JavaScript loop give the same mask. Seeds come from Math.random,
// as tf.dropout's do when no seed is given. Other backends run tf.dropout.
import * as tf from '@tensorflow/tfjs';
import type { Info, KernelArgs } from './wasm-heap';
import { elementwiseOnHeap } from './wasm-simd-elementwise';

export const DROPOUT_KERNEL = 'SentenceTfjsDropout';

interface DropoutAttrs {
  rate: number;
  seedA: number;
  seedB: number;
}

function lowbias32(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The 32-bit hash that decides whether element i is kept. */
export function dropoutHash(i: number, seedA: number, seedB: number): number {
  return lowbias32((lowbias32((i + seedA) | 0) ^ seedB) | 0);
}

const thresholdOf = (rate: number): number => Math.round(rate * 2 ** 24);

function dropoutArrays(x: ArrayLike<number>, out: Float32Array, from: number, a: DropoutAttrs): void {
  const threshold = thresholdOf(a.rate);
  const scale = Math.fround(1 / (1 - a.rate));
  for (let i = from; i < out.length; i++) out[i] = dropoutHash(i, a.seedA, a.seedB) >>> 8 >= threshold ? x[i] * scale : 0;
}

function checkAttrs(x: Info, a: DropoutAttrs): void {
  if (x.dtype !== 'float32') throw new Error(`dropout: x must be float32; got ${x.dtype}`);
  if (!(a.rate >= 0 && a.rate < 1)) throw new Error(`dropout: rate must be in [0, 1); got ${a.rate}`);
}

function wasmDropout({ inputs, backend, attrs }: KernelArgs): Info {
  const { x } = inputs as { x: Info };
  const a = attrs as unknown as DropoutAttrs;
  checkAttrs(x, a);
  const { out, views, simd, vectorized } = elementwiseOnHeap(backend, [x]);
  const [xv, yv] = views;
  if (simd && vectorized > 0) simd.dropout(xv.byteOffset, yv.byteOffset, vectorized * 4, a.seedA, a.seedB, thresholdOf(a.rate), 1 / (1 - a.rate));
  dropoutArrays(xv, yv, vectorized, a);
  return out;
}

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): Info;
}

function cpuDropout({ inputs, backend: b, attrs }: KernelArgs): Info {
  const { x } = inputs as { x: Info };
  const a = attrs as unknown as DropoutAttrs;
  checkAttrs(x, a);
  const backend = b as unknown as CpuBackendLike;
  const xv = backend.data.get(x.dataId).values;
  const out = new Float32Array(xv.length);
  dropoutArrays(xv, out, 0, a);
  return backend.makeTensorInfo(x.shape, 'float32', out);
}

let gradientRegistered = false;

export function registerFusedDropout(backendName: 'wasm' | 'cpu'): void {
  if (!tf.getKernel(DROPOUT_KERNEL, backendName)) tf.registerKernel({ kernelName: DROPOUT_KERNEL, backendName, kernelFunc: backendName === 'wasm' ? wasmDropout : cpuDropout });
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: DROPOUT_KERNEL,
    gradFunc: (dy: tf.Tensor | tf.Tensor[], _saved: tf.Tensor[], attrs: tf.NamedAttrMap) => ({
      x: () => tf.engine().runKernel(DROPOUT_KERNEL, { x: dy as tf.Tensor }, attrs) as tf.Tensor,
    }),
  });
}

const randomSeed = (): number => (Math.random() * 2 ** 32) | 0;

/**
 * Inverted dropout of x with `rate` (0 ≤ rate < 1): one kernel where registered (wasm, cpu), else
 * tf.dropout (seeded with seeds[0]). `seeds` fixes the mask (tests); by default fresh random seeds each call.
 */
export function dropout(x: tf.Tensor, rate: number, seeds?: [number, number]): tf.Tensor {
  if (!tf.getKernel(DROPOUT_KERNEL, tf.getBackend()) || x.dtype !== 'float32') return tf.dropout(x, rate, undefined, seeds?.[0]);
  const [seedA, seedB] = seeds ?? [randomSeed(), randomSeed()];
  return tf.engine().runKernel(DROPOUT_KERNEL, { x } as unknown as tf.NamedTensorMap, { rate, seedA, seedB }) as tf.Tensor;
}
