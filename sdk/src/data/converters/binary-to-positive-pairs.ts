// (sentence1, sentence2) + 0/1 label → (anchor, positive) pairs: only the label-1 rows, label dropped.
// For MNRL and the other in-batch-negative losses, which need positives only.
import { Dataset } from '../dataset';
import { describeCell, type CellValue } from '../types';
import type { AnchorPositive } from './formats';
import { asDataset, pickLabelColumn, pickTextColumns, textsOf, type DatasetInput } from './input';

export interface BinaryToPositivePairsOptions {
  /** The two sentence columns (default: the first two text columns). */
  columns?: readonly [string, string];
  /** The 0/1 column (default: the label column). */
  label?: string;
}

export function binaryToPositivePairs<R extends object>(data: DatasetInput<R>, options: BinaryToPositivePairsOptions = {}): Dataset<AnchorPositive> {
  const name = 'binaryToPositivePairs';
  const ds = asDataset(data, name);
  const [a, b] = pickTextColumns(ds, 2, name, options.columns);
  const label = pickLabelColumn(ds, name, options.label);
  const first = textsOf(ds, a, name);
  const second = textsOf(ds, b, name);
  const out = { anchor: [] as string[], positive: [] as string[] };
  (ds.column(label as keyof R & string) as CellValue[]).forEach((v, i) => {
    if (v !== 0 && v !== 1) throw new Error(`${name}: label column '${label}' row ${i} must be 0 or 1; found ${describeCell(v)}`);
    if (v === 1) {
      out.anchor.push(first[i]);
      out.positive.push(second[i]);
    }
  });
  return Dataset.fromColumns(out, { label: null, source: ds.source });
}
