// GELU with the exact erf (Hugging Face's "gelu") as one kernel on wasm and cpu, with its gradient as one
// more. As tfjs ops it was x·0.5·(1 + erf(x/√2)): 4 kernels forward, ~8 backward (Exp, Square, Neg, Mul…)
// over [tokens, intermediate] tensors, with wasm's scalar Erf and Exp at ~10 ns per element; the tape
// saved 4 such tensors, here only x.
//   forward:  y = x · Φ(x),                 Φ(x) = (1 + erf(x/√2)) / 2
//   gradient: dx = dy · (Φ(x) + x · φ(x)),  φ(x) = exp(−x²/2) / √(2π)
// wasm: SIMD loops (wasm-simd-elementwise.ts, lengths a multiple of 4); cpu and remainders: the same
// approximations in JavaScript. Both agree with the tfjs ops to ~1e-6 (erf within a few float ulps).
// Other backends run the formula as tfjs ops.
import * as tf from '@tensorflow/tfjs';
import type { Info, KernelArgs } from './wasm-heap';
import { elementwiseOnHeap } from './wasm-simd-elementwise';

export const GELU_KERNEL = 'SentenceTfjsGelu';
const GELU_GRAD_KERNEL = 'SentenceTfjsGeluGrad';

const ERF_P = [-2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5, -7.34990630326855e-4, -2.95459980854025e-3, -1.60960333262415e-2];
const ERF_Q = [-1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3, -1.42647390514189e-2];
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** erf as the SIMD loop computes it (Eigen's rational approximation on [−4, 4]). */
export function erfApprox(x: number): number {
  const z = Math.min(4, Math.max(-4, x));
  const t = z * z;
  let p = ERF_P[0];
  for (let i = 1; i < ERF_P.length; i++) p = p * t + ERF_P[i];
  let q = ERF_Q[0];
  for (let i = 1; i < ERF_Q.length; i++) q = q * t + ERF_Q[i];
  return (z * p) / q;
}

const cdf = (x: number): number => 0.5 * (1 + erfApprox(x * Math.SQRT1_2));

function geluArrays(x: ArrayLike<number>, y: Float32Array, from: number): void {
  for (let i = from; i < y.length; i++) y[i] = x[i] * cdf(x[i]);
}

function geluGradArrays(x: ArrayLike<number>, dy: ArrayLike<number>, dx: Float32Array, from: number): void {
  for (let i = from; i < dx.length; i++) {
    const v = x[i];
    dx[i] = dy[i] * (cdf(v) + v * Math.exp(-0.5 * v * v) * INV_SQRT_2PI);
  }
}

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): Info;
}

function checkFloat(t: Info, what: string): void {
  if (t.dtype !== 'float32') throw new Error(`gelu: ${what} must be float32; got ${t.dtype}`);
}

function wasmGelu({ inputs, backend }: KernelArgs): Info {
  const { x } = inputs as { x: Info };
  checkFloat(x, 'x');
  const { out, views, simd, vectorized } = elementwiseOnHeap(backend, [x]);
  const [xv, yv] = views;
  if (simd && vectorized > 0) simd.gelu(xv.byteOffset, yv.byteOffset, vectorized * 4);
  geluArrays(xv, yv, vectorized);
  return out;
}

function wasmGeluGrad({ inputs, backend }: KernelArgs): Info {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { out, views, simd, vectorized } = elementwiseOnHeap(backend, [x, dy]);
  const [xv, dyv, dxv] = views;
  if (simd && vectorized > 0) simd.geluGrad(xv.byteOffset, dyv.byteOffset, dxv.byteOffset, vectorized * 4);
  geluGradArrays(xv, dyv, dxv, vectorized);
  return out;
}

function cpuGelu({ inputs, backend: b }: KernelArgs): Info {
  const { x } = inputs as { x: Info };
  checkFloat(x, 'x');
  const backend = b as unknown as CpuBackendLike;
  const xv = backend.data.get(x.dataId).values;
  const y = new Float32Array(xv.length);
  geluArrays(xv, y, 0);
  return backend.makeTensorInfo(x.shape, 'float32', y);
}

function cpuGeluGrad({ inputs, backend: b }: KernelArgs): Info {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const backend = b as unknown as CpuBackendLike;
  const [xv, dyv] = [x, dy].map((t) => backend.data.get(t.dataId).values);
  const dx = new Float32Array(xv.length);
  geluGradArrays(xv, dyv, dx, 0);
  return backend.makeTensorInfo(x.shape, 'float32', dx);
}

let gradientRegistered = false;

export function registerFusedGelu(backendName: 'wasm' | 'cpu'): void {
  if (!tf.getKernel(GELU_KERNEL, backendName)) {
    const wasm = backendName === 'wasm';
    tf.registerKernel({ kernelName: GELU_KERNEL, backendName, kernelFunc: wasm ? wasmGelu : cpuGelu });
    tf.registerKernel({ kernelName: GELU_GRAD_KERNEL, backendName, kernelFunc: wasm ? wasmGeluGrad : cpuGeluGrad });
  }
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: GELU_KERNEL,
    inputsToSave: ['x'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => ({
      x: () => tf.engine().runKernel(GELU_GRAD_KERNEL, { x: saved[0], dy: dy as tf.Tensor }, {}) as tf.Tensor,
    }),
  });
}

/** The formula as tfjs ops (backends without the kernel, and the reference in tests). */
export function geluOps(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))));
}

/** GELU with the exact erf: one kernel where registered (wasm, cpu), else tfjs ops. */
export function gelu(x: tf.Tensor): tf.Tensor {
  if (!tf.getKernel(GELU_KERNEL, tf.getBackend())) return geluOps(x);
  return tf.engine().runKernel(GELU_KERNEL, { x } as unknown as tf.NamedTensorMap, {}) as tf.Tensor;
}
