// Converters take a Dataset or a danfo.js DataFrame (converted with Dataset.fromDataFrame) and read
// columns by role: text columns in order, and the label column.
import { Dataset } from '../dataset';
import { isDataFrame, type DataFrame } from '../dataframe';
import { describeCell, type CellValue, type Row } from '../types';

/** What a converter accepts: a Dataset, or a DataFrame (its label column found by name). */
export type DatasetInput<R extends object = Row> = Dataset<R> | DataFrame;

export function asDataset<R extends object>(input: DatasetInput<R>, converter: string): Dataset<R> {
  if (input instanceof Dataset) return input;
  if (isDataFrame(input)) return Dataset.fromDataFrame(input) as unknown as Dataset<R>;
  throw new Error(`${converter} expects a Dataset or a danfo.js DataFrame; got ${describeCell(input)}`);
}

/** The text columns a converter uses: the named ones, or the dataset's first `count` text columns. */
export function pickTextColumns<R extends object>(data: Dataset<R>, count: number, converter: string, names?: readonly string[]): string[] {
  if (names) {
    if (names.length !== count) throw new Error(`${converter}: columns must name ${count} column${count === 1 ? '' : 's'}; got ${names.length}`);
    const all = data.columnNames as string[];
    for (const n of names) if (!all.includes(n)) throw new Error(`${converter}: no column '${n}' (columns: ${all.join(', ')})`);
    return [...names];
  }
  const texts = data.textColumns as string[];
  if (texts.length < count) {
    throw new Error(`${converter} needs ${count} text column${count === 1 ? '' : 's'}; the dataset has ${texts.length} (${texts.join(', ') || 'none'})`);
  }
  return texts.slice(0, count);
}

/** The column holding labels: the named one or the dataset's label column. */
export function pickLabelColumn<R extends object>(data: Dataset<R>, converter: string, name?: string): string {
  const label = name ?? data.labelColumn;
  if (label === undefined) throw new Error(`${converter} needs a label column; the dataset has none (columns: ${(data.columnNames as string[]).join(', ')})`);
  if (!(data.columnNames as string[]).includes(label)) throw new Error(`${converter}: no label column '${label}' (columns: ${(data.columnNames as string[]).join(', ')})`);
  return label;
}

/** Cells of a column that must all be strings (texts to put into new rows). */
export function textsOf<R extends object>(data: Dataset<R>, column: string, converter: string): string[] {
  return (data.column(column as keyof R & string) as CellValue[]).map((v, i) => {
    if (typeof v !== 'string') throw new Error(`${converter}: column '${column}' row ${i} must be text; found ${describeCell(v)}`);
    return v;
  });
}

/** Class labels (numbers or strings; never null/NaN or vectors). */
export function classesOf<R extends object>(data: Dataset<R>, column: string, converter: string): (string | number)[] {
  return (data.column(column as keyof R & string) as CellValue[]).map((v, i) => {
    if (typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v))) return v;
    throw new Error(`${converter}: label column '${column}' row ${i} must be a class (number or string); found ${describeCell(v)}`);
  });
}
