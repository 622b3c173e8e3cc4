// LayerNorm over the last axis as one kernel on wasm and cpu, with its gradient as one more. As tfjs ops
// (moments, sub, add ε, sqrt, div, mul γ, add β) it was ~10 kernels forward and ~20 backward per call, each
// a pass over [tokens, hidden] plus the engine's per-op cost; the tape saved 5 tensors, here x and γ.
//   forward:  x̂ = (x − μ) / sqrt(σ² + ε),  y = x̂ · γ + β          (μ, σ² over the last axis, biased σ²)
//   gradient: g = dy · γ;  dx = (g − mean(g) − x̂ · mean(g · x̂)) / sqrt(σ² + ε)
//             dγ = Σ_rows dy · x̂;  dβ = Σ_rows dy
// wasm: SIMD loops (wasm-simd-elementwise.ts) in float32, for rows a multiple of 4 long; cpu and other row
// lengths: the same passes in JavaScript, sums in float64. Both agree with the tfjs ops to float32
// rounding. Other backends run the tfjs ops.
import * as tf from '@tensorflow/tfjs';
import { heapBackend, type Info, type KernelArgs } from './wasm-heap';
import { elementwiseKernels, type ElementwiseKernels } from './wasm-simd-elementwise';

export const LAYER_NORM_KERNEL = 'SentenceTfjsLayerNorm';
const LAYER_NORM_GRAD_KERNEL = 'SentenceTfjsLayerNormGrad';

/** How a kernel reads inputs and allocates float32 outputs on one backend. */
interface ArrayAccess {
  read(t: Info): Float32Array;
  /** Outputs first, then reads: on wasm an allocation may move the heap. */
  outputs(shapes: number[][]): { infos: Info[]; values: () => Float32Array[] };
  /** Our SIMD loops, on wasm. */
  simd?: ElementwiseKernels;
}

function wasmAccess(b: unknown): ArrayAccess {
  const backend = heapBackend(b);
  const memory = backend.wasm.asm?.memory;
  return {
    simd: memory ? elementwiseKernels(memory) : undefined,
    read: (t) => backend.typedArrayFromHeap(t) as Float32Array,
    outputs: (shapes) => {
      const infos = shapes.map((s) => backend.makeOutput(s, 'float32'));
      return { infos, values: () => infos.map((i) => backend.typedArrayFromHeap(i) as Float32Array) };
    },
  };
}

interface CpuBackendLike {
  data: { get(dataId: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): Info;
}

function cpuAccess(b: unknown): ArrayAccess {
  const backend = b as CpuBackendLike;
  return {
    read: (t) => backend.data.get(t.dataId).values,
    outputs: (shapes) => {
      const arrays = shapes.map((s) => new Float32Array(s.reduce((x, y) => x * y, 1)));
      const infos = shapes.map((s, i) => backend.makeTensorInfo(s, 'float32', arrays[i]));
      return { infos, values: () => arrays };
    },
  };
}

function checkInputs(x: Info, gamma: Info, others: Record<string, Info>): number {
  const h = x.shape[x.shape.length - 1];
  if (x.shape.length === 0) throw new Error('layerNorm: x must have at least one axis; got a scalar');
  for (const [name, t] of Object.entries({ x, gamma, ...others })) {
    if (t.dtype !== 'float32') throw new Error(`layerNorm: ${name} must be float32; got ${t.dtype}`);
  }
  for (const [name, t] of Object.entries({ gamma, ...others })) {
    if (name !== 'dy' && (t.shape.length !== 1 || t.shape[0] !== h)) throw new Error(`layerNorm: ${name} must have shape [${h}] (the last axis of x); got [${t.shape}]`);
  }
  return h;
}

/** μ and 1/sqrt(σ² + ε) of the row starting at `from`. */
function rowStats(x: Float32Array, from: number, h: number, eps: number): [number, number] {
  let sum = 0;
  for (let j = 0; j < h; j++) sum += x[from + j];
  const mean = sum / h;
  let sq = 0;
  for (let j = 0; j < h; j++) {
    const d = x[from + j] - mean;
    sq += d * d;
  }
  return [mean, 1 / Math.sqrt(sq / h + eps)];
}

function forward(access: ArrayAccess, x: Info, gamma: Info, beta: Info, eps: number): Info {
  const h = checkInputs(x, gamma, { beta });
  const out = access.outputs([x.shape]);
  const [y] = out.values();
  const [xv, g, b] = [access.read(x), access.read(gamma), access.read(beta)];
  if (access.simd && h % 4 === 0) {
    access.simd.layerNorm(xv.byteOffset, g.byteOffset, b.byteOffset, y.byteOffset, xv.length / h, h * 4, 1 / h, eps);
    return out.infos[0];
  }
  for (let from = 0; from < xv.length; from += h) {
    const [mean, rstd] = rowStats(xv, from, h, eps);
    for (let j = 0; j < h; j++) y[from + j] = (xv[from + j] - mean) * rstd * g[j] + b[j];
  }
  return out.infos[0];
}

function gradient(access: ArrayAccess, x: Info, gamma: Info, dy: Info, eps: number): Info[] {
  const h = checkInputs(x, gamma, { dy });
  const out = access.outputs([x.shape, [h], [h]]);
  const [dx, dGamma, dBeta] = out.values();
  const [xv, g, dyv] = [access.read(x), access.read(gamma), access.read(dy)];
  if (access.simd && h % 4 === 0) {
    dGamma.fill(0);
    dBeta.fill(0);
    access.simd.layerNormGrad(xv.byteOffset, g.byteOffset, dyv.byteOffset, dx.byteOffset, dGamma.byteOffset, dBeta.byteOffset, xv.length / h, h * 4, 1 / h, eps);
    return out.infos;
  }
  const accGamma = new Float64Array(h);
  const accBeta = new Float64Array(h);
  for (let from = 0; from < xv.length; from += h) {
    const [mean, rstd] = rowStats(xv, from, h, eps);
    let sumG = 0;
    let sumGX = 0;
    for (let j = 0; j < h; j++) {
      const xhat = (xv[from + j] - mean) * rstd;
      const d = dyv[from + j];
      const gj = d * g[j];
      sumG += gj;
      sumGX += gj * xhat;
      accGamma[j] += d * xhat;
      accBeta[j] += d;
    }
    const meanG = sumG / h;
    const meanGX = sumGX / h;
    for (let j = 0; j < h; j++) {
      const xhat = (xv[from + j] - mean) * rstd;
      dx[from + j] = (dyv[from + j] * g[j] - meanG - xhat * meanGX) * rstd;
    }
  }
  dGamma.set(accGamma);
  dBeta.set(accBeta);
  return out.infos;
}

let gradientRegistered = false;

export function registerFusedLayerNorm(backendName: 'wasm' | 'cpu'): void {
  if (!tf.getKernel(LAYER_NORM_KERNEL, backendName)) {
    const access = backendName === 'wasm' ? wasmAccess : cpuAccess;
    const eps = (attrs: unknown) => (attrs as { epsilon: number }).epsilon;
    tf.registerKernel({
      kernelName: LAYER_NORM_KERNEL,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }: KernelArgs) => {
        const { x, gamma, beta } = inputs as { x: Info; gamma: Info; beta: Info };
        return forward(access(backend), x, gamma, beta, eps(attrs));
      },
    });
    tf.registerKernel({
      kernelName: LAYER_NORM_GRAD_KERNEL,
      backendName,
      kernelFunc: ({ inputs, backend, attrs }: KernelArgs) => {
        const { x, gamma, dy } = inputs as { x: Info; gamma: Info; dy: Info };
        return gradient(access(backend), x, gamma, dy, eps(attrs));
      },
    });
  }
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: LAYER_NORM_KERNEL,
    inputsToSave: ['x', 'gamma'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[], attrs: tf.NamedAttrMap) => {
      // One kernel call gives all three gradients, run here and not in a closure: tfjs runs each closure
      // in its own tidy, which would dispose the other two.
      const [dx, dGamma, dBeta] = tf.engine().runKernel(LAYER_NORM_GRAD_KERNEL, { x: saved[0], gamma: saved[1], dy: dy as tf.Tensor }, attrs) as tf.Tensor[];
      return { x: () => dx, gamma: () => dGamma, beta: () => dBeta };
    },
  });
}

/** The formula as tfjs ops (backends without the kernel, and the reference in tests). */
export function layerNormOps(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  return tf.tidy(() => {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, epsilon))), gamma), beta);
  });
}

/** LayerNorm over the last axis with weights γ, β [hidden]: one kernel where registered (wasm, cpu). */
export function layerNorm(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  if (!tf.getKernel(LAYER_NORM_KERNEL, tf.getBackend())) return layerNormOps(x, gamma, beta, epsilon);
  return tf.engine().runKernel(LAYER_NORM_KERNEL, { x, gamma, beta } as unknown as tf.NamedTensorMap, { epsilon }) as tf.Tensor;
}
