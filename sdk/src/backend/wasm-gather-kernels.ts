// Row gather and its gradient on wasm:
// - GatherV2 along axis 0 (embedding lookups) as row copies on the heap: wasm's strided kernel took ~100 ms to gather 4,700
//   rows of 256 floats; copying whole rows takes well under a millisecond.
// - UnsortedSegmentSum (missing in tfjs-backend-wasm; the gradient of gather uses it), built on the wasm
//   ScatterNd kernel, which adds duplicate indices as TensorFlow's scatter_nd does (7 ms for 4,736 rows of
//   256, against 10.5 ms for a JavaScript row loop). Ids outside [0, numSegments) are dropped, as
//   TensorFlow drops negative ids; ScatterNd would write past its output, so such batches take the loop.
import * as tf from '@tensorflow/tfjs';
import { heapBackend, heapWordOffset, overrideWasmKernel, wasmKernel, type Info, type KernelArgs, type WasmHeapBackend } from './wasm-heap';

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function registerRowGather(): void {
  overrideWasmKernel('GatherV2', (original) => (args: KernelArgs) => {
    const { x, indices } = args.inputs as { x: Info; indices: Info };
    const { axis, batchDims } = args.attrs as { axis: number; batchDims: number };
    const rowAxis = axis < 0 ? axis + x.shape.length : axis;
    if (rowAxis !== 0 || batchDims !== 0 || (x.dtype !== 'float32' && x.dtype !== 'int32') || indices.dtype !== 'int32') return original(args);
    const backend = heapBackend(args.backend);
    const rows = x.shape[0];
    const rowSize = sizeOf(x.shape.slice(1));
    const out = backend.makeOutput([...indices.shape, ...x.shape.slice(1)], x.dtype);
    const ids = backend.typedArrayFromHeap(indices);
    // Both dtypes are 4 bytes: copy rows as int32 words within the heap (copyWithin is a memmove, no views made).
    const src = heapWordOffset(backend, x);
    const to = heapWordOffset(backend, out);
    const words = new Int32Array(backend.typedArrayFromHeap(out).buffer);
    for (let i = 0; i < ids.length; i++) {
      const row = ids[i];
      if (!(row >= 0 && row < rows)) {
        backend.disposeData(out.dataId);
        throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
      }
      words.copyWithin(to + i * rowSize, src + row * rowSize, src + (row + 1) * rowSize);
    }
    return out;
  });
}

/** out[segment] += x[i] row by row, dropping ids outside [0, numSegments). */
function segmentSumRows(backend: WasmHeapBackend, x: Info, segmentIds: Info, numSegments: number): Info {
  const rowSize = sizeOf(x.shape.slice(1));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(1)], x.dtype);
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const segments = backend.typedArrayFromHeap(segmentIds);
  dst.fill(0);
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i];
    if (!(segment >= 0 && segment < numSegments)) continue;
    for (let j = 0; j < rowSize; j++) dst[segment * rowSize + j] += src[i * rowSize + j];
  }
  return out;
}

function registerUnsortedSegmentSum(): void {
  const reshape = wasmKernel('Reshape');
  const scatterNd = wasmKernel('ScatterNd');
  tf.registerKernel({
    kernelName: 'UnsortedSegmentSum',
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend: b, attrs }: KernelArgs) => {
      const backend = b as tf.KernelBackend;
      const heap = heapBackend(backend);
      const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
      const numSegments = (attrs as { numSegments: number }).numSegments;
      if (segmentIds.shape.length !== 1 || segmentIds.shape[0] !== x.shape[0]) {
        throw new Error(`UnsortedSegmentSum on wasm expects 1-D segmentIds with one id per row of x (${x.shape[0]}); got shape [${segmentIds.shape}]`);
      }
      // wasm's ScatterNd writes outside its output for an out-of-range index: those batches take the row loop.
      const ids = heap.typedArrayFromHeap(segmentIds);
      if (ids.some((id) => !(id >= 0 && id < numSegments))) return segmentSumRows(heap, x, segmentIds, numSegments);
      const indices = reshape.kernelFunc({ inputs: { x: segmentIds }, backend, attrs: { shape: [segmentIds.shape[0], 1] } }) as Info;
      const out = scatterNd.kernelFunc({ inputs: { indices, updates: x }, backend, attrs: { shape: [numSegments, ...x.shape.slice(1)] } }) as Info;
      heap.disposeData(indices.dataId);
      return out;
    },
  });
}

export function registerGatherKernels(): void {
  registerRowGather();
  if (!tf.getKernel('UnsortedSegmentSum', 'wasm')) registerUnsortedSegmentSum();
}
