// (sentence1, sentence2) + float score → the same pairs + 0/1 label: 1 where score ≥ threshold. Opens
// ContrastiveLoss / OnlineContrastiveLoss (and binary evaluators) to similarity-score data such as STSb.
import { Dataset } from '../dataset';
import { describeCell, type CellValue, type Row } from '../types';
import { asDataset, pickLabelColumn, type DatasetInput } from './input';

export interface ScoresToBinaryOptions {
  /** Scores at or above it become 1, below it 0 (e.g. 0.5 for scores in [0, 1], or 4 for STS 0–5 scores). */
  threshold: number;
  /** The score column (default: the label column). */
  label?: string;
  /** The new label column's name (default 'label'); it replaces the score column. */
  labelName?: string;
}

export function scoresToBinary<R extends object>(data: DatasetInput<R>, options: ScoresToBinaryOptions): Dataset<Row> {
  const name = 'scoresToBinary';
  if (typeof options?.threshold !== 'number' || !Number.isFinite(options.threshold)) {
    throw new Error(`${name} needs a finite { threshold }; got ${describeCell(options?.threshold)}`);
  }
  const ds = asDataset(data, name) as unknown as Dataset<Row>;
  const column = pickLabelColumn(ds, name, options.label);
  const labels = (ds.column(column) as CellValue[]).map((v, i) => {
    if (typeof v !== 'number' || Number.isNaN(v)) throw new Error(`${name}: score column '${column}' row ${i} must be a number; found ${describeCell(v)}`);
    return v >= options.threshold ? 1 : 0;
  });
  // The score column becomes the label column's replacement (dropped, new label appended).
  return ds.withLabelColumn(column).withLabel(options.labelName ?? 'label', labels) as unknown as Dataset<Row>;
}
