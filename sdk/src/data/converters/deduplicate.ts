// Drops rows that repeat an earlier row (in all columns, or in the given ones); the first stays.
import type { Dataset } from '../dataset';
import type { Row } from '../types';
import { asDataset, type DatasetInput } from './input';

export interface DeduplicateOptions {
  /** Compare only these columns (e.g. ['anchor'] for one row per anchor). Default: all columns. */
  columns?: readonly string[];
}

export function deduplicate<R extends object = Row>(data: DatasetInput<R>, options: DeduplicateOptions = {}): Dataset<R> {
  const ds = asDataset(data, 'deduplicate');
  const names = options.columns ?? (ds.columnNames as string[]);
  const columns = names.map((n) => ds.column(n as keyof R & string) as unknown[]);
  const seen = new Set<string>();
  const keep: number[] = [];
  for (let i = 0; i < ds.length; i++) {
    const key = JSON.stringify(columns.map((c) => c[i]));
    if (!seen.has(key)) {
      seen.add(key);
      keep.push(i);
    }
  }
  return keep.length === ds.length ? ds : ds.selectRows(keep);
}
