// The value types a Dataset holds. Text columns hold strings; the label column holds numbers (scores,
// class ids, 0/1) or number arrays (teacher embeddings, margins per negative). Anything else a file may
// contain (null, booleans) is kept as found so that validation can report it with its row number.

/** One cell as read from a file or given by the user. */
export type CellValue = string | number | boolean | number[] | null;

/** A label: a number (score, class id, 0/1, margin) or a vector (teacher embedding, margins/scores per candidate). */
export type LabelValue = number | number[];

/** A row whose values are cells; R's keys are the column names. */
export type RowShape<R> = { [K in keyof R]: CellValue };

/** The row type of a dataset whose columns are not known statically (e.g. loaded from a file). */
export type Row = Record<string, CellValue>;

/** Column-oriented data: one array of cells per column, all of the same length. */
export type ColumnsOf<R> = { [K in keyof R]: R[K][] };

/**
 * Names that make a column the label column unless one is named explicitly (sentence-transformers'
 * convention: every other column is a text input, in order).
 */
export const LABEL_COLUMN_NAMES: readonly string[] = ['label', 'labels', 'score', 'scores'];

/** How the label column is chosen: a column name, `null` for none, or undefined to detect it by name. */
export type LabelOption = string | null | undefined;

export function describeCell(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  if (typeof value === 'string') return value.length > 40 ? `string "${value.slice(0, 37)}..."` : `string ${JSON.stringify(value)}`;
  if (Array.isArray(value)) return `array of length ${value.length}`;
  return `${typeof value} ${String(value)}`;
}
