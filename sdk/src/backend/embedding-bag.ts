// Mean of the table rows of each sentence's real tokens (nn.EmbeddingBag(mode='mean')), as one kernel on
// wasm and cpu. As tfjs ops it was gather [B, T, d] → × mask → sum over T (wasm transposes for that) →
// ÷ count, and the gradient went back through all four: ~10 ms per batch of 64 at d 256, against < 1 ms here.
//   forward:  out[b] = Σ_t mask[b,t] · table[ids[b,t]] / max(Σ_t mask[b,t], 1)    (an empty bag gives 0)
//   gradient: dTable[ids[b,t]] += mask[b,t] · dy[b] / max(count_b, 1)            (dense [V, d], as tfjs's gather)
// Sums run over t in order, in float32: our SIMD loop on wasm (rows a multiple of 4 floats), the same
// operations in JavaScript otherwise. Other backends run the formula as tfjs ops.
import * as tf from '@tensorflow/tfjs';
import { heapBackend, type Info, type KernelArgs } from './wasm-heap';
import { simdKernels, type SimdKernels } from './wasm-simd-kernels';

export const EMBEDDING_BAG_KERNEL = 'SentenceTfjsEmbeddingBagMean';
const GRAD_KERNEL = 'SentenceTfjsEmbeddingBagMeanGrad';

type Values = Float32Array | Int32Array;

/** How a kernel reads inputs and allocates outputs on one backend (one per backend: no closures per call). */
interface ArrayAccess {
  read(t: Info): Values;
  /** A float32 output (zero-filled unless `zero` is false) and its values, to write. */
  output(shape: number[], zero?: boolean): { info: Info; values: Float32Array };
  /** Frees an output or scratch buffer (on an error, or when done). */
  dispose(t: Info): void;
  /** Our SIMD kernels, on wasm. */
  simd?: SimdKernels;
  /** A temporary int32 buffer of `length` on the heap (for the SIMD kernels). */
  scratch?(length: number): Info;
}

const accesses = new WeakMap<object, ArrayAccess>();

function wasmAccess(b: unknown): ArrayAccess {
  const backend = heapBackend(b);
  const memory = backend.wasm.asm?.memory;
  return {
    simd: memory ? simdKernels(memory) : undefined,
    read: (t) => backend.typedArrayFromHeap(t) as Values,
    output: (shape, zero = true) => {
      const info = backend.makeOutput(shape, 'float32');
      const values = backend.typedArrayFromHeap(info) as Float32Array;
      if (zero) values.fill(0);
      return { info, values };
    },
    dispose: (t) => backend.disposeData(t.dataId),
    scratch: (length) => backend.makeOutput([Math.max(length, 1)], 'int32'),
  };
}

interface CpuBackendLike {
  data: { get(dataId: object): { values: Values } };
  disposeData(dataId: object): boolean;
  makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): Info;
}

function cpuAccess(b: unknown): ArrayAccess {
  const backend = b as CpuBackendLike;
  return {
    read: (t) => backend.data.get(t.dataId).values,
    output: (shape) => {
      const values = new Float32Array(shape.reduce((x, y) => x * y, 1));
      return { info: backend.makeTensorInfo(shape, 'float32', values), values };
    },
    dispose: (t) => backend.disposeData(t.dataId),
  };
}

function accessFor(backendName: 'wasm' | 'cpu', backend: object): ArrayAccess {
  let access = accesses.get(backend);
  if (!access) accesses.set(backend, (access = backendName === 'wasm' ? wasmAccess(backend) : cpuAccess(backend)));
  return access;
}

function checkShapes(table: Info, ids: Info, mask: Info): void {
  if (table.shape.length !== 2) throw new Error(`EmbeddingBag: the table must be 2-D; got shape [${table.shape}]`);
  if (ids.shape.length !== 2 || mask.shape.join() !== ids.shape.join()) {
    throw new Error(`EmbeddingBag: inputIds and attentionMask must both be [batch, tokens]; got [${ids.shape}] and [${mask.shape}]`);
  }
}

/** Token counts per row (mask ≠ 0), at least 1 so an empty bag divides 0 by 1. */
function counts(mask: Values, batch: number, tokens: number): Float32Array {
  const out = new Float32Array(batch);
  for (let b = 0; b < batch; b++) {
    let c = 0;
    for (let t = 0; t < tokens; t++) if (mask[b * tokens + t] !== 0) c++;
    out[b] = Math.max(c, 1);
  }
  return out;
}

/** Index of the first id outside [0, vocab), or -1 (ids are int32: one unsigned compare covers both ends). */
function firstOutOfRange(ids: Int32Array, vocab: number): number {
  for (let i = 0; i < ids.length; i++) if (ids[i] >>> 0 >= vocab) return i;
  return -1;
}

function outOfRange(ids: Int32Array, index: number, tokens: number, vocab: number): Error {
  return new Error(`EmbeddingBag: token id ${ids[index]} (row ${Math.floor(index / tokens)}, position ${index % tokens}) is not in [0, ${vocab - 1}]`);
}

function forward(access: ArrayAccess, table: Info, ids: Info, mask: Info): Info {
  checkShapes(table, ids, mask);
  const [vocab, dim] = table.shape;
  const [batch, tokens] = ids.shape;
  if (access.simd && access.scratch && dim > 0 && dim % 4 === 0) {
    // Allocate first, then take views: an allocation may grow (and move) the wasm heap. The kernel checks the ids.
    const scratch = access.scratch(tokens);
    const out = access.output([batch, dim], false);
    const [w, id, m, list] = [access.read(table), access.read(ids), access.read(mask), access.read(scratch)];
    const bad = access.simd.bagMean(w.byteOffset, id.byteOffset, m.byteOffset, out.values.byteOffset, list.byteOffset, batch, tokens, dim * 4, vocab);
    access.dispose(scratch);
    if (bad >= 0) {
      access.dispose(out.info);
      throw outOfRange(id as Int32Array, bad, tokens, vocab);
    }
    return out.info;
  }
  const checked = access.read(ids) as Int32Array;
  const bad = firstOutOfRange(checked, vocab);
  if (bad >= 0) throw outOfRange(checked, bad, tokens, vocab);
  const out = access.output([batch, dim], false);
  const [w, id, m] = [access.read(table), access.read(ids), access.read(mask)];
  const n = counts(m, batch, tokens);
  const acc = new Float32Array(dim);
  for (let b = 0; b < batch; b++) {
    acc.fill(0);
    for (let t = 0; t < tokens; t++) {
      if (m[b * tokens + t] === 0) continue;
      const from = id[b * tokens + t] * dim;
      for (let j = 0; j < dim; j++) acc[j] += w[from + j];
    }
    for (let j = 0; j < dim; j++) out.values[b * dim + j] = acc[j] / n[b];
  }
  return out.info;
}

function gradient(access: ArrayAccess, dy: Info, ids: Info, mask: Info, vocab: number): Info {
  const [batch, tokens] = ids.shape;
  const dim = dy.shape[1];
  const out = access.output([vocab, dim]);
  const [g, id, m] = [access.read(dy), access.read(ids), access.read(mask)];
  if (access.simd && dim > 0 && dim % 4 === 0) {
    access.simd.bagMeanGrad(g.byteOffset, id.byteOffset, m.byteOffset, out.values.byteOffset, batch, tokens, dim * 4);
    return out.info;
  }
  const n = counts(m, batch, tokens);
  const scaled = new Float32Array(dim);
  for (let b = 0; b < batch; b++) {
    for (let j = 0; j < dim; j++) scaled[j] = g[b * dim + j] / n[b];
    for (let t = 0; t < tokens; t++) {
      if (m[b * tokens + t] === 0) continue;
      const to = id[b * tokens + t] * dim;
      for (let j = 0; j < dim; j++) out.values[to + j] += scaled[j];
    }
  }
  return out.info;
}

function register(backendName: 'wasm' | 'cpu'): void {
  tf.registerKernel({
    kernelName: EMBEDDING_BAG_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend }: KernelArgs) => {
      const { table, ids, mask } = inputs as { table: Info; ids: Info; mask: Info };
      return forward(accessFor(backendName, backend), table, ids, mask);
    },
  });
  tf.registerKernel({
    kernelName: GRAD_KERNEL,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }: KernelArgs) => {
      const { dy, ids, mask } = inputs as { dy: Info; ids: Info; mask: Info };
      return gradient(accessFor(backendName, backend), dy, ids, mask, (attrs as { vocab: number }).vocab);
    },
  });
}

let gradientRegistered = false;

export function registerEmbeddingBag(backendName: 'wasm' | 'cpu'): void {
  if (!tf.getKernel(EMBEDDING_BAG_KERNEL, backendName)) register(backendName);
  if (gradientRegistered) return;
  gradientRegistered = true;
  tf.registerGradient({
    kernelName: EMBEDDING_BAG_KERNEL,
    inputsToSave: ['table', 'ids', 'mask'],
    gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
      const [table, ids, mask] = saved;
      return {
        table: () => tf.engine().runKernel(GRAD_KERNEL, { dy: dy as tf.Tensor, ids, mask }, { vocab: table.shape[0] }) as tf.Tensor,
        ids: () => tf.zerosLike(ids),
        mask: () => tf.zerosLike(mask),
      };
    },
  });
}

/** The formula as tfjs ops, for backends without the kernel. */
function embeddingBagMeanOps(table: tf.Tensor2D, inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const tokens = tf.gather(table, inputIds) as unknown as tf.Tensor3D;
    const mask = tf.expandDims(tf.cast(attentionMask, 'float32'), 2);
    return tf.div(tf.sum(tf.mul(tokens, mask), 1), tf.maximum(tf.sum(mask, 1), 1)) as tf.Tensor2D;
  });
}

/** Mean of `table` rows over each row's real tokens: [V, d] table, [B, T] ids and 0/1 mask → [B, d]. */
export function embeddingBagMean(table: tf.Tensor2D, inputIds: tf.Tensor2D, attentionMask: tf.Tensor2D): tf.Tensor2D {
  if (!tf.getKernel(EMBEDDING_BAG_KERNEL, tf.getBackend())) return embeddingBagMeanOps(table, inputIds, attentionMask);
  const ids = inputIds.dtype === 'int32' ? inputIds : tf.cast(inputIds, 'int32');
  const mask = attentionMask.dtype === 'int32' ? attentionMask : tf.cast(attentionMask, 'int32');
  const out = tf.engine().runKernel(EMBEDDING_BAG_KERNEL, { table, ids, mask } as unknown as tf.NamedTensorMap, {}) as tf.Tensor2D;
  if (ids !== inputIds) ids.dispose();
  if (mask !== attentionMask) mask.dispose();
  return out;
}
