// The collator: rows of a dataset → the Batch a loss receives (text columns in order, labels as one
// float32 tensor). Labels are checked here so a bad cell is reported with its row, not as a tfjs shape error.
import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../losses/loss';
import { describeCell, type CellValue } from './types';

export interface CollateInput {
  textColumns: readonly string[];
  labelColumn: string | undefined;
  column(name: string): readonly CellValue[];
  length: number;
  source?: string;
}

export function collate(data: CollateInput, indices: readonly number[]): Batch {
  const where = data.source ? ` of ${data.source}` : '';
  for (const i of indices) {
    if (!Number.isInteger(i) || i < 0 || i >= data.length) {
      throw new Error(`toBatch: row index ${i} is out of range for a dataset${where} of ${data.length} rows`);
    }
  }
  const columns = data.textColumns.map((name) => {
    const col = data.column(name);
    return indices.map((i) => {
      const v = col[i];
      if (typeof v !== 'string') throw new Error(`toBatch: text column '${name}' row ${i}${where} must be a string; found ${describeCell(v)}`);
      return v;
    });
  });
  const batch: Batch = { columns, columnNames: [...data.textColumns] };
  if (data.labelColumn !== undefined) batch.labels = labelTensor(data.labelColumn, data.column(data.labelColumn), indices, where);
  return batch;
}

/** Labels of the chosen rows as float32: [B] for numbers, [B, d] for vectors of one length d. */
export function labelTensor(name: string, col: readonly CellValue[], indices: readonly number[], where = ''): tf.Tensor {
  const first = indices.length ? col[indices[0]] : undefined;
  if (Array.isArray(first)) {
    const d = first.length;
    const flat = new Float32Array(indices.length * d);
    indices.forEach((i, r) => {
      const v = col[i];
      if (!Array.isArray(v) || v.length !== d) {
        throw new Error(`toBatch: label column '${name}' row ${i}${where} must be a vector of length ${d} like row ${indices[0]}; found ${describeCell(v)}`);
      }
      flat.set(v, r * d);
    });
    return tf.tensor2d(flat, [indices.length, d], 'float32');
  }
  const flat = new Float32Array(indices.length);
  indices.forEach((i, r) => {
    const v = col[i];
    if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`toBatch: label column '${name}' row ${i}${where} must be a number; found ${describeCell(v)}`);
    flat[r] = v;
  });
  return tf.tensor1d(flat, 'float32');
}
