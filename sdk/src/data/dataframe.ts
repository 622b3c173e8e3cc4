// Conversion to and from danfo.js DataFrames. danfojs-node is loaded on first use (its import takes
// most of a second and pulls tfjs-layers/-converter), so datasets that never meet a DataFrame don't pay
// for it. It shares our tfjs engine and backend: @tensorflow/tfjs-node resolves to @tensorflow/tfjs
// here, which requires the same @tensorflow/tfjs-core (a test checks this).
import type { DataFrame } from 'danfojs-node';
import type { CellValue } from './types';

export type { DataFrame };

type Danfo = typeof import('danfojs-node');

let danfoModule: Danfo | undefined;

export function danfo(): Danfo {
  danfoModule ??= require('danfojs-node') as Danfo;
  return danfoModule;
}

/** True for a danfo.js DataFrame (checked by shape, so DataFrames of another danfo copy qualify too). */
export function isDataFrame(value: unknown): value is DataFrame {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as { columns?: unknown; shape?: unknown; getColumnData?: unknown };
  return Array.isArray(v.columns) && Array.isArray(v.shape) && 'getColumnData' in v;
}

/** A DataFrame's columns as arrays (optionally only `names`, in that order). */
export function columnsFromDataFrame(df: DataFrame, names?: readonly string[]): { names: string[]; columns: CellValue[][] } {
  const all = df.columns;
  const wanted = names ? [...names] : all;
  const missing = wanted.filter((n) => !all.includes(n));
  if (missing.length) {
    throw new Error(`Dataset.fromDataFrame: column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} not in the DataFrame (it has ${all.join(', ')})`);
  }
  const rows = df.shape[0];
  // getColumnData keeps array cells intact (Series.values would stringify them); it is [] for 0 rows.
  const data = rows === 0 ? all.map(() => []) : (df.getColumnData as unknown as CellValue[][]);
  return { names: wanted, columns: wanted.map((n) => data[all.indexOf(n)].map(fromDanfoCell)) };
}

/** A DataFrame from named columns (row-major with explicit column names: the one form danfo accepts for 0 rows and for array cells). */
export function dataFrameFromColumns(names: readonly string[], columns: readonly (readonly CellValue[])[]): DataFrame {
  const length = columns[0]?.length ?? 0;
  const rows: CellValue[][] = [];
  for (let i = 0; i < length; i++) rows.push(columns.map((c) => (Array.isArray(c[i]) ? (c[i] as number[]).slice() : c[i])));
  return new (danfo().DataFrame)(rows, { columns: [...names] });
}

function fromDanfoCell(v: unknown): CellValue {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(Number);
  return v as CellValue;
}
