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
