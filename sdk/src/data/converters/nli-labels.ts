// NLI labels: integer ids (0 entailment, 1 neutral, 2 contradiction: SNLI / MultiNLI on Hugging Face)
// or their names (a label_text column). Other id orders are given with `entailment` / `contradiction`.
import type { Dataset } from '../dataset';
import { describeCell, type CellValue } from '../types';
import { asDataset, pickLabelColumn, pickTextColumns, textsOf, type DatasetInput } from './input';

export interface NliOptions {
  /** The (premise, hypothesis) columns (default: the first two text columns). */
  columns?: readonly [string, string];
  /** The label column (ids or names); default the label column. */
  label?: string;
  /** The value meaning entailment (default 0 or 'entailment'). */
  entailment?: number | string;
  /** The value meaning contradiction (default 2 or 'contradiction'). */
  contradiction?: number | string;
}

export type NliRelation = 'entailment' | 'contradiction' | 'other';

export interface NliRows {
  premises: string[];
  hypotheses: string[];
  relations: NliRelation[];
  source: string | undefined;
}

export function readNli<R extends object>(data: DatasetInput<R>, options: NliOptions, converter: string): NliRows {
  const ds: Dataset<R> = asDataset(data, converter);
  const [p, h] = pickTextColumns(ds, 2, converter, options.columns);
  const label = pickLabelColumn(ds, converter, options.label);
  const values = ds.column(label as keyof R & string) as CellValue[];
  const relations = values.map((v, i): NliRelation => {
    if (typeof v !== 'number' && typeof v !== 'string') {
      throw new Error(`${converter}: label column '${label}' row ${i} must be an NLI label (0/1/2 or entailment/neutral/contradiction); found ${describeCell(v)}`);
    }
    const ent = options.entailment ?? (typeof v === 'string' ? 'entailment' : 0);
    const con = options.contradiction ?? (typeof v === 'string' ? 'contradiction' : 2);
    const key = typeof v === 'string' ? v.trim().toLowerCase() : v;
    if (key === (typeof ent === 'string' ? ent.toLowerCase() : ent)) return 'entailment';
    if (key === (typeof con === 'string' ? con.toLowerCase() : con)) return 'contradiction';
    return 'other';
  });
  return { premises: textsOf(ds, p, converter), hypotheses: textsOf(ds, h, converter), relations, source: ds.source };
}
