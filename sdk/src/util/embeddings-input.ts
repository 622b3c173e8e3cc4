// Utilities accept embeddings as a tensor (what encode(..., {convertTo: 'tensor'}) gives) or as plain rows
// (what notebooks hold). This turns either into a 2-D tensor and says whether the caller must dispose it;
// and encodes texts straight to a tensor for the evaluators and mining.
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';

export type EmbeddingsInput = tf.Tensor2D | readonly (readonly number[])[] | readonly Float32Array[];

export interface OwnedTensor2D {
  tensor: tf.Tensor2D;
  /** True when the tensor was made here from arrays, so the caller disposes it. */
  owned: boolean;
}

export function toTensor2D(input: EmbeddingsInput, what: string): OwnedTensor2D {
  if (input instanceof tf.Tensor) {
    if (input.rank !== 2) throw new Error(`${what} must be a 2-D tensor [n, dim]; got shape [${input.shape.join(', ')}]`);
    return { tensor: input, owned: false };
  }
  if (!Array.isArray(input)) throw new Error(`${what} must be a tf.Tensor2D or an array of rows; got ${typeof input}`);
  const rows = input as readonly ArrayLike<number>[];
  const dim = rows.length > 0 ? rows[0].length : 0;
  const flat = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => {
    if (row.length !== dim) throw new Error(`${what}: row ${i} has ${row.length} values; row 0 has ${dim}`);
    flat.set(row, i * dim);
  });
  return { tensor: tf.tensor2d(flat, [rows.length, dim]), owned: true };
}

/** Runs fn on the inputs as tensors and disposes the ones made here, even when fn throws. */
export async function withTensors2D<T>(
  inputs: { input: EmbeddingsInput; what: string }[],
  fn: (...tensors: tf.Tensor2D[]) => Promise<T>,
): Promise<T> {
  const made: OwnedTensor2D[] = [];
  try {
    for (const { input, what } of inputs) made.push(toTensor2D(input, what));
    return await fn(...made.map((m) => m.tensor));
  } finally {
    for (const m of made) if (m.owned) m.tensor.dispose();
  }
}

/** The encode options the evaluators and mining utilities pass through. */
export interface EncodeSettings {
  /** Encode batch size. Default 32. */
  batchSize?: number;
  showProgressBar?: boolean;
  /** Keep only the first N dimensions (Matryoshka evaluation). */
  truncateDim?: number;
}

/** model.encode(texts) as one [n, dim] tensor (the caller disposes it). */
export function encodeToTensor(
  model: Pick<SentenceTransformer, 'encode'>,
  texts: readonly string[],
  settings: EncodeSettings,
): Promise<tf.Tensor2D> {
  const { batchSize, showProgressBar, truncateDim } = settings;
  return model.encode(texts, { convertTo: 'tensor', batchSize, showProgressBar, truncateDim });
}
