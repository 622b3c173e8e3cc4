// Kernels the wasm backend needs for training, registered once when wasm becomes active:
// - UnsortedSegmentSum (missing in tfjs-backend-wasm; the gradient of gather uses it), built on the
//   wasm ScatterNd kernel, which adds duplicate indices as TensorFlow's scatter_nd does.
// - BatchMatMul with transposeA/transposeB: wasm's own kernel is 10-25x slower when either flag is
//   set (every matMul gradient sets one), so we transpose explicitly and run the plain kernel.
import * as tf from '@tensorflow/tfjs';

type KernelArgs = Parameters<tf.KernelFunc>[0];
type Info = tf.TensorInfo;

interface WasmBackendLike {
  disposeData(dataId: object): void;
}

let registered = false;

function kernel(name: string): tf.KernelConfig {
  const k = tf.getKernel(name, 'wasm');
  if (!k) throw new Error(`the wasm backend has no ${name} kernel`);
  return k;
}

function run(k: tf.KernelConfig, backend: tf.KernelBackend, inputs: tf.NamedTensorInfoMap, attrs: tf.NamedAttrMap): Info {
  return k.kernelFunc({ inputs, backend, attrs }) as Info;
}

function registerUnsortedSegmentSum(): void {
  if (tf.getKernel('UnsortedSegmentSum', 'wasm')) return;
  const reshape = kernel('Reshape');
  const scatterNd = kernel('ScatterNd');
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend: b, attrs }: KernelArgs) => {
      const backend = b as tf.KernelBackend;
      const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      if (segmentIds.shape.length !== 1) {
        throw new Error(`UnsortedSegmentSum on wasm supports 1-D segmentIds; got shape [${segmentIds.shape}]`);
      }
      const indices = run(reshape, backend, { x: segmentIds }, { shape: [segmentIds.shape[0], 1] });
      const out = run(scatterNd, backend, { indices, updates: x }, { shape: [numSegments, ...x.shape.slice(1)] });
      (backend as unknown as WasmBackendLike).disposeData(indices.dataId);
      return out;
    },
  });
}

function registerFastTransposedMatMul(): void {
  const original = kernel('BatchMatMul');
  const transpose = kernel('Transpose');
  const originalFunc = original.kernelFunc;
  const swapLast = (t: Info, backend: tf.KernelBackend): Info => {
    const rank = t.shape.length;
    const perm = [...Array(rank).keys()];
    [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
    return run(transpose, backend, { x: t }, { perm });
  };
  tf.unregisterKernel('BatchMatMul', 'wasm');
  tf.registerKernel({
    ...original,
    kernelFunc: (args: KernelArgs) => {
      const { inputs, attrs } = args;
      const backend = args.backend as tf.KernelBackend;
      const { transposeA, transposeB } = attrs as { transposeA: boolean; transposeB: boolean };
      if (!transposeA && !transposeB) return originalFunc(args);
      const { a, b } = inputs as { a: Info; b: Info };
      const a2 = transposeA ? swapLast(a, backend) : a;
      const b2 = transposeB ? swapLast(b, backend) : b;
      const out = originalFunc({ inputs: { a: a2, b: b2 }, backend, attrs: { ...attrs, transposeA: false, transposeB: false } });
      const wasm = backend as unknown as WasmBackendLike;
      if (a2 !== a) wasm.disposeData(a2.dataId);
      if (b2 !== b) wasm.disposeData(b2.dataId);
      return out;
    },
  });
}

export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  registerUnsortedSegmentSum();
  registerFastTransposedMatMul();
}
