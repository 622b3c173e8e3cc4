// quantizeEmbeddings: smaller embeddings for storage and fast search, as sentence-transformers'
// quantize_embeddings.
//   int8 / uint8: per dimension, [min, max] is cut into 255 steps: uint8 = trunc((x - min) / step),
//     int8 = trunc((x - min) / step - 128). min/max come from `ranges`, else `calibrationEmbeddings`,
//     else the embeddings themselves (use >= 100 rows or a calibration set, as sentence-transformers warns).
//     The arithmetic is float32, as numpy does it on float32 embeddings.
//   binary / ubinary: one bit per dimension (x > 0), packed 8 per byte, most significant bit first
//     (np.packbits); ubinary as uint8, binary as int8 = byte - 128.
// Differences, on purpose: values outside the calibration range are clamped to the ends (numpy's cast of
// out-of-range floats is undefined), a dimension with max = min maps to 0, and bits are packed per row
// (numpy packs the flattened matrix, which only works when dim is a multiple of 8).
import * as tf from '@tensorflow/tfjs';

export type QuantizationPrecision = 'float32' | 'int8' | 'uint8' | 'binary' | 'ubinary';

type Rows = readonly ArrayLike<number>[];

export interface QuantizeOptions {
  /** [mins, maxs], one value per dimension (int8/uint8 only). */
  ranges?: readonly [ArrayLike<number>, ArrayLike<number>];
  /** Embeddings whose per-dimension min/max set the ranges (int8/uint8 only). */
  calibrationEmbeddings?: Rows | tf.Tensor2D;
}

async function toRows(x: Rows | tf.Tensor2D, what: string): Promise<Rows> {
  if (x instanceof tf.Tensor) {
    if (x.rank !== 2) throw new Error(`quantizeEmbeddings: ${what} must be 2-D; got shape [${x.shape.join(', ')}]`);
    const flat = (await x.data()) as Float32Array;
    const [n, d] = x.shape;
    return Array.from({ length: n }, (_, i) => flat.subarray(i * d, (i + 1) * d));
  }
  if (!Array.isArray(x)) throw new Error(`quantizeEmbeddings: ${what} must be a tf.Tensor2D or an array of rows; got ${typeof x}`);
  const rows = x as Rows;
  rows.forEach((r, i) => {
    if (r.length !== rows[0].length) throw new Error(`quantizeEmbeddings: ${what} row ${i} has ${r.length} values; row 0 has ${rows[0].length}`);
  });
  return rows;
}

function columnRanges(rows: Rows, dim: number, what: string): [Float32Array, Float32Array] {
  if (rows.length === 0) throw new Error(`quantizeEmbeddings: ${what} has no rows to take ranges from`);
  if (rows[0].length !== dim) throw new Error(`quantizeEmbeddings: ${what} has dimension ${rows[0].length}; the embeddings have ${dim}`);
  const mins = new Float32Array(dim).fill(Infinity);
  const maxs = new Float32Array(dim).fill(-Infinity);
  for (const r of rows) {
    for (let d = 0; d < dim; d++) {
      if (r[d] < mins[d]) mins[d] = r[d];
      if (r[d] > maxs[d]) maxs[d] = r[d];
    }
  }
  return [mins, maxs];
}

function scalarQuantize(rows: Rows, dim: number, signed: boolean, options: QuantizeOptions): Int8Array[] | Uint8Array[] {
  let mins: Float32Array;
  let maxs: Float32Array;
  if (options.ranges) {
    const [lo, hi] = options.ranges;
    if (lo.length !== dim || hi.length !== dim) {
      throw new Error(`quantizeEmbeddings: ranges must hold ${dim} mins and ${dim} maxs; got ${lo.length} and ${hi.length}`);
    }
    [mins, maxs] = [Float32Array.from(lo), Float32Array.from(hi)];
  } else {
    [mins, maxs] = columnRanges(rows, dim, 'embeddings');
  }
  const steps = mins.map((m, d) => Math.fround(Math.fround(maxs[d] - m) / 255));
  return rows.map((r) => {
    const out = signed ? new Int8Array(dim) : new Uint8Array(dim);
    for (let d = 0; d < dim; d++) {
      const level = steps[d] > 0 ? Math.fround(Math.fround(r[d] - mins[d]) / steps[d]) : 0;
      const clamped = Math.min(255, Math.max(0, level));
      out[d] = Math.trunc(signed ? Math.fround(clamped - 128) : clamped);
    }
    return out;
  }) as Int8Array[] | Uint8Array[];
}

function packBits(rows: Rows, dim: number, signed: boolean): Int8Array[] | Uint8Array[] {
  const bytes = Math.ceil(dim / 8);
  return rows.map((r) => {
    const packed = new Uint8Array(bytes);
    for (let d = 0; d < dim; d++) if (r[d] > 0) packed[d >> 3] |= 0x80 >> (d & 7);
    return signed ? Int8Array.from(packed, (b) => b - 128) : packed;
  }) as Int8Array[] | Uint8Array[];
}

export async function quantizeEmbeddings(embeddings: Rows | tf.Tensor2D, precision: 'float32', options?: QuantizeOptions): Promise<Float32Array[]>;
export async function quantizeEmbeddings(embeddings: Rows | tf.Tensor2D, precision: 'int8' | 'binary', options?: QuantizeOptions): Promise<Int8Array[]>;
export async function quantizeEmbeddings(embeddings: Rows | tf.Tensor2D, precision: 'uint8' | 'ubinary', options?: QuantizeOptions): Promise<Uint8Array[]>;
export async function quantizeEmbeddings(
  embeddings: Rows | tf.Tensor2D,
  precision: QuantizationPrecision,
  options: QuantizeOptions = {},
): Promise<Float32Array[] | Int8Array[] | Uint8Array[]> {
  const rows = await toRows(embeddings, 'embeddings');
  const dim = rows.length > 0 ? rows[0].length : 0;
  let calibrated = options;
  if (!options.ranges && options.calibrationEmbeddings) {
    calibrated = { ranges: columnRanges(await toRows(options.calibrationEmbeddings, 'calibrationEmbeddings'), dim, 'calibrationEmbeddings') };
  }
  switch (precision) {
    case 'float32':
      return rows.map((r) => Float32Array.from(r));
    case 'int8':
    case 'uint8':
      return scalarQuantize(rows, dim, precision === 'int8', calibrated);
    case 'binary':
    case 'ubinary':
      return packBits(rows, dim, precision === 'binary');
    default:
      throw new Error(`quantizeEmbeddings: precision must be one of float32, int8, uint8, binary, ubinary; got '${String(precision)}'`);
  }
}
