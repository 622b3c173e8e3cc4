// One AdamW update of a weight as a single kernel on wasm and cpu (one pass over p, g, m, v) instead of
// ~13 elementwise tfjs ops that each read and write the whole tensor. For a [30522, 256] embedding table
// that is ~8 M floats × 13 ops per step, the bulk of a StaticEmbedding training step.
// On wasm the loop is our own SIMD code (wasm-simd-kernels.ts); on cpu, and for rows whose length is not a
// multiple of 4, plain JavaScript. Same arithmetic as torch.optim.AdamW (decoupled weight decay first):
//   m ← β1·m + (1−β1)·g;  v ← β2·v + (1−β2)·g²
//   p ← p·(1 − lr·wd) − lr · (m / bc1) / (sqrt(v / bc2) + ε),   bc_i = 1 − β_i^step
// A row whose g, m and v are all +0 (a token absent from every batch so far) only decays: the formula
// gives exactly m = v = +0 and p·(1 − lr·wd) there, so the kernel skips the division for it.
// Other backends (tensorflow, webgl) run the same formula as plain tfjs ops.
import * as tf from '@tensorflow/tfjs';
import { heapBackend, type Info, type KernelArgs } from './wasm-heap';
import { simdKernels } from './wasm-simd-kernels';

export const FUSED_ADAMW_KERNEL = 'SentenceTfjsAdamW';

export interface AdamWStepOptions {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay of this weight (0 for no decay). */
  weightDecay: number;
  /** 1-based step count, for the bias corrections. */
  step: number;
}

interface Arrays {
  p: Float32Array;
  g: Float32Array;
  m: Float32Array;
  v: Float32Array;
  pOut: Float32Array;
  mOut: Float32Array;
  vOut: Float32Array;
}

/**
 * The update over flat arrays, in the float32 operation order of the tfjs ops (Math.fround after every
 * operation), so it equals them bit for bit; `rowSize` is the length of the rows that may be skipped whole.
 */
export function adamwUpdateArrays(a: Arrays, rowSize: number, o: AdamWStepOptions): void {
  const f = Math.fround;
  const [b1, omb1, b2, omb2, decay, bc1, bc2, eps, lr] = scalars(o).map(f);
  const { p, g, m, v, pOut, mOut, vOut } = a;
  // Zero test on the bits, as the SIMD kernel does: −0 counts as touched (the formula keeps its sign).
  const [gBits, mBits, vBits] = [g, m, v].map((x) => new Int32Array(x.buffer, x.byteOffset, x.length));
  const n = p.length;
  for (let start = 0; start < n; start += rowSize) {
    const end = Math.min(n, start + rowSize);
    let untouched = true;
    for (let i = start; i < end; i++) {
      if ((gBits[i] | mBits[i] | vBits[i]) !== 0) {
        untouched = false;
        break;
      }
    }
    if (untouched) {
      for (let i = start; i < end; i++) pOut[i] = p[i] * decay;
      mOut.fill(0, start, end);
      vOut.fill(0, start, end);
      continue;
    }
    for (let i = start; i < end; i++) {
      const gi = g[i];
      const mi = f(f(m[i] * b1) + f(gi * omb1));
      const vi = f(f(v[i] * b2) + f(f(gi * gi) * omb2));
      mOut[i] = mi;
      vOut[i] = vi;
      pOut[i] = f(p[i] * decay) - f(f(f(mi / bc1) / f(f(Math.sqrt(f(vi / bc2))) + eps)) * lr);
    }
  }
}

/** β1, 1−β1, β2, 1−β2, 1−lr·wd, bc1, bc2, ε, lr: each becomes a float32 scalar, as tfjs makes of a JS number. */
function scalars(o: AdamWStepOptions): number[] {
  return [o.beta1, 1 - o.beta1, o.beta2, 1 - o.beta2, 1 - o.learningRate * o.weightDecay, 1 - o.beta1 ** o.step, 1 - o.beta2 ** o.step, o.epsilon, o.learningRate];
}

function rowSizeOf(shape: readonly number[]): number {
  return shape.length > 1 ? shape.slice(1).reduce((a, b) => a * b, 1) : Math.max(1, shape[0] ?? 1);
}

type Inputs = { p: Info; g: Info; m: Info; v: Info };

function checkInputs({ p, g, m, v }: Inputs): void {
  for (const [name, t] of Object.entries({ g, m, v })) {
    if (t.shape.join() !== p.shape.join()) throw new Error(`AdamW: ${name} has shape [${t.shape}] but the weight has shape [${p.shape}]`);
  }
  for (const [name, t] of Object.entries({ p, g, m, v })) {
    if (t.dtype !== 'float32') throw new Error(`AdamW: ${name} must be float32; got ${t.dtype}`);
  }
}

function wasmKernelFunc({ inputs, backend: b, attrs }: KernelArgs): Info[] {
  const x = inputs as Inputs;
  checkInputs(x);
  const backend = heapBackend(b);
  const outs = [0, 1, 2].map(() => backend.makeOutput(x.p.shape, 'float32'));
  const view = (t: Info) => backend.typedArrayFromHeap(t) as Float32Array;
  const [p, g, m, v, pOut, mOut, vOut] = [x.p, x.g, x.m, x.v, ...outs].map(view);
  const options = attrs as unknown as AdamWStepOptions;
  const rowSize = rowSizeOf(x.p.shape);
  const memory = backend.wasm.asm?.memory;
  const simd = memory ? simdKernels(memory) : undefined;
  if (simd && rowSize % 4 === 0 && p.length > 0) {
    simd.adamw(p.byteOffset, g.byteOffset, m.byteOffset, v.byteOffset, pOut.byteOffset, mOut.byteOffset, vOut.byteOffset, p.byteLength, rowSize * 4, ...(scalars(options) as [number, number, number, number, number, number, number, number, number]));
  } else {
    adamwUpdateArrays({ p, g, m, v, pOut, mOut, vOut }, rowSize, options);
  }
  return outs;
}

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): Info;
}

function cpuKernelFunc({ inputs, backend: b, attrs }: KernelArgs): Info[] {
  const x = inputs as Inputs;
  checkInputs(x);
  const backend = b as unknown as CpuBackendLike;
  const size = x.p.shape.reduce((a, c) => a * c, 1);
  const [pOut, mOut, vOut] = [0, 1, 2].map(() => new Float32Array(size));
  const values = (t: Info) => backend.data.get(t.dataId).values;
  adamwUpdateArrays({ p: values(x.p), g: values(x.g), m: values(x.m), v: values(x.v), pOut, mOut, vOut }, rowSizeOf(x.p.shape), attrs as unknown as AdamWStepOptions);
  return [pOut, mOut, vOut].map((vals) => backend.makeTensorInfo(x.p.shape, 'float32', vals));
}

export function registerFusedAdamW(backendName: 'wasm' | 'cpu'): void {
  if (tf.getKernel(FUSED_ADAMW_KERNEL, backendName)) return;
  tf.registerKernel({ kernelName: FUSED_ADAMW_KERNEL, backendName, kernelFunc: backendName === 'wasm' ? wasmKernelFunc : cpuKernelFunc });
}

/** The formula as tfjs ops, for backends without the fused kernel. */
function adamwStepOps(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, o: AdamWStepOptions): [tf.Tensor, tf.Tensor, tf.Tensor] {
  return tf.tidy(() => {
    const bc1 = 1 - o.beta1 ** o.step;
    const bc2 = 1 - o.beta2 ** o.step;
    const m2 = tf.add(tf.mul(m, o.beta1), tf.mul(g, 1 - o.beta1));
    const v2 = tf.add(tf.mul(v, o.beta2), tf.mul(tf.square(g), 1 - o.beta2));
    const decayed = o.weightDecay > 0 ? tf.mul(p, 1 - o.learningRate * o.weightDecay) : p;
    const update = tf.div(tf.div(m2, bc1), tf.add(tf.sqrt(tf.div(v2, bc2)), o.epsilon));
    return [tf.sub(decayed, tf.mul(update, o.learningRate)), m2, v2];
  });
}

/** New (weight, m, v) after one AdamW step; the caller assigns them and disposes the returned tensors. */
export function adamwStep(p: tf.Tensor, g: tf.Tensor, m: tf.Tensor, v: tf.Tensor, options: AdamWStepOptions): [tf.Tensor, tf.Tensor, tf.Tensor] {
  if (!tf.getKernel(FUSED_ADAMW_KERNEL, tf.getBackend())) return adamwStepOps(p, g, m, v, options);
  const attrs = { ...options } as unknown as tf.NamedAttrMap;
  const out = tf.engine().runKernel(FUSED_ADAMW_KERNEL, { p, g, m, v } as unknown as tf.NamedTensorMap, attrs) as tf.Tensor[];
  return [out[0], out[1], out[2]];
}
