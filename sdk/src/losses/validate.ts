// Input checks shared by the functional losses: a wrong number of columns or a wrong label shape is a
// clear error that names the loss, the expected format and what was given.
import type * as tf from '@tensorflow/tfjs';

export function checkColumns(
  loss: string,
  embeddings: readonly tf.Tensor[],
  expected: { min: number; max: number | null; format: string },
): void {
  const n = embeddings.length;
  if (n < expected.min || (expected.max !== null && n > expected.max)) {
    const want = expected.max === expected.min ? `${expected.min}` : expected.max === null ? `at least ${expected.min}` : `${expected.min} to ${expected.max}`;
    throw new Error(`${loss} expects ${expected.format} (${want} text column${expected.max === 1 ? '' : 's'}); got ${n}`);
  }
  const rows = embeddings[0]?.shape[0];
  embeddings.forEach((e, i) => {
    if (e.rank !== 2) throw new Error(`${loss}: embedding column ${i} must be a 2-D [batch, dim] tensor; got shape [${e.shape}]`);
    if (e.shape[0] !== rows) throw new Error(`${loss}: embedding column ${i} has ${e.shape[0]} rows, column 0 has ${rows}`);
  });
}

export function requireLabels(loss: string, labels: tf.Tensor | undefined, what: string): tf.Tensor {
  if (!labels) throw new Error(`${loss} expects labels (${what}); got no label column`);
  return labels;
}

export function checkLabelRows(loss: string, labels: tf.Tensor, rows: number, what: string): void {
  if (labels.shape[0] !== rows) {
    throw new Error(`${loss} expects one label per row (${what}): ${rows} rows but labels of shape [${labels.shape}]`);
  }
}

export interface ColumnExpectation {
  min: number;
  max: number | null;
  format: string;
}

/**
 * The text-column check at batch level, before any embedding work: the same message as checkColumns plus the
 * names of the columns the batch had, e.g. `... (at least 2 text columns); got 1 (sentence)`.
 */
export function checkBatchColumns(loss: string, batch: { columns: readonly unknown[]; columnNames: readonly string[] }, expected: ColumnExpectation): void {
  const n = batch.columns.length;
  if (n < expected.min || (expected.max !== null && n > expected.max)) {
    const want = expected.max === expected.min ? `${expected.min}` : expected.max === null ? `at least ${expected.min}` : `${expected.min} to ${expected.max}`;
    throw new Error(`${loss} expects ${expected.format} (${want} text column${want === '1' ? '' : 's'}); got ${n} (${batch.columnNames.join(', ')})`);
  }
}

/**
 * Labels that are one number per row: shape [B] (or [B, 1], flattened by the caller). Anything else is an error
 * that names the loss, the expected format and the shape given, e.g.
 * `CoSENTLoss expects one float similarity score per row: labels of shape [8]; got shape [8, 3]`.
 */
export function checkLabelVector(loss: string, labels: tf.Tensor | undefined, rows: number, what: string): tf.Tensor {
  const y = requireLabels(loss, labels, what);
  const ok = (y.rank === 1 && y.shape[0] === rows) || (y.rank === 2 && y.shape[0] === rows && y.shape[1] === 1);
  if (!ok) throw new Error(`${loss} expects ${what}: labels of shape [${rows}]; got shape [${y.shape.join(', ')}]`);
  return y;
}
