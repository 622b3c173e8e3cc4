// Dataset: named columns of equal length, one of which may be the label column (sentence-transformers'
// convention: `label`, `labels`, `score` or `scores`, or named explicitly); every other column is a text
// input, in order. Immutable: every operation returns a new Dataset. Columnar, so a batch is a gather per
// column, and so it converts to and from danfo.js DataFrames without reshaping.
//
// The row type R describes the columns for notebook code: `Dataset.fromRecords([{ anchor: 'a', score: 1 }])`
// is a Dataset<{ anchor: string; score: number }>, so `ds.column('score')` is number[]. Datasets read from
// files are Dataset<Row> (cells of any kind) unless a row type is given: `loadDataset<StsbRow>(path)`;
// `texts(name)`, `numbers(name)` and `vectors(name)` give typed columns either way, checking every cell.
import type { Batch } from '../losses/loss';
import { Rng } from '../util/random';
import { collate } from './collate';
import { columnsFromDataFrame, dataFrameFromColumns, type DataFrame } from './dataframe';
import { formatCell, previewHtml, previewText, previewTitle, type TablePreview } from './display';
import { LABEL_COLUMN_NAMES, describeCell, type CellValue, type LabelOption, type Row, type RowShape } from './types';

export interface DatasetOptions {
  /** The label column: a name, `null` for none; by default the first of label / labels / score / scores present. */
  label?: LabelOption;
  /** Where the data came from (a file path), named in error messages and in the display. */
  source?: string;
}

export interface TrainTestSplitOptions {
  /** Fraction of rows in (0, 1), or a number of rows (an integer ≥ 1). The test size is rounded up, as sklearn does. */
  testSize: number;
  seed?: number;
  /** Keep this column's value proportions equal in both parts (e.g. the label column). */
  stratifyBy?: string;
  /** Shuffle before splitting (default true). Without shuffling the test part is the last rows. */
  shuffle?: boolean;
}

/** Column names after renaming with mapping M. */
export type Renamed<R, M> = {
  [K in keyof R as K extends keyof M ? (M[K] extends string ? M[K] : K) : K]: R[K];
};

/** The row type of a dataset built from columns C. */
export type RowOfColumns<C> = { [K in keyof C]: C[K] extends readonly (infer V)[] ? V : never };

export class Dataset<R extends object = Row> implements Iterable<R> {
  private readonly data: ReadonlyMap<string, readonly CellValue[]>;
  private readonly names: readonly string[];
  private readonly label: string | undefined;
  /** Where the data came from (a file path), if known. */
  readonly source: string | undefined;
  /** Number of rows. */
  readonly length: number;

  private constructor(names: readonly string[], columns: readonly CellValue[][], options: DatasetOptions) {
    const seen = new Set<string>();
    for (const n of names) {
      if (seen.has(n)) throw new Error(`Dataset: column '${n}' appears twice; column names must be unique`);
      seen.add(n);
    }
    const length = columns[0]?.length ?? 0;
    columns.forEach((c, j) => {
      if (c.length !== length) throw new Error(`Dataset: column '${names[j]}' has ${c.length} rows but '${names[0]}' has ${length}`);
    });
    this.names = names;
    this.data = new Map(names.map((n, j) => [n, columns[j]]));
    this.length = length;
    this.source = options.source;
    this.label = resolveLabel(names, options.label);
  }

  // ---- construction -------------------------------------------------------------------------------

  /** From row objects. Columns are the keys in order of first appearance; a row without a key gets null there. */
  static fromRecords<R extends RowShape<R>>(rows: readonly R[], options: DatasetOptions = {}): Dataset<R> {
    const names: string[] = [];
    const index = new Map<string, number>();
    const columns: CellValue[][] = [];
    rows.forEach((row, i) => {
      if (typeof row !== 'object' || row === null || Array.isArray(row)) {
        throw new Error(`Dataset.fromRecords: row ${i} must be an object of column values; found ${describeCell(row)}`);
      }
      for (const [key, value] of Object.entries(row)) {
        let j = index.get(key);
        if (j === undefined) {
          j = names.length;
          index.set(key, j);
          names.push(key);
          columns.push(new Array<CellValue>(i).fill(null));
        }
        columns[j].push(toCell(value, key, i, 'Dataset.fromRecords'));
      }
      for (const c of columns) if (c.length === i) c.push(null);
    });
    return new Dataset<R>(names, columns, options);
  }

  /** From named columns of equal length: `Dataset.fromColumns({ anchor: [...], positive: [...] })`. */
  static fromColumns<C extends { [K in keyof C]: readonly CellValue[] }>(
    columns: C,
    options: DatasetOptions = {},
  ): Dataset<RowOfColumns<C>> {
    const names = Object.keys(columns) as (keyof C & string)[];
    const arrays = names.map((n) => {
      const col = columns[n] as unknown;
      if (!Array.isArray(col)) throw new Error(`Dataset.fromColumns: column '${n}' must be an array; found ${describeCell(col)}`);
      return col.map((v: unknown, i: number) => toCell(v, n, i, 'Dataset.fromColumns'));
    });
    return new Dataset<RowOfColumns<C>>(names, arrays, options);
  }

  /** From a danfo.js DataFrame (all its columns, or `columns` in that order). */
  static fromDataFrame(df: DataFrame, options: DatasetOptions & { columns?: readonly string[] } = {}): Dataset<Row> {
    const { names, columns } = columnsFromDataFrame(df, options.columns);
    const cells = columns.map((c, j) => c.map((v, i) => toCell(v, names[j], i, 'Dataset.fromDataFrame')));
    return new Dataset<Row>(names, cells, options);
  }

  /** Several datasets with the same columns, one after the other. */
  static concat<R extends object>(datasets: readonly Dataset<R>[]): Dataset<R> {
    if (datasets.length === 0) throw new Error('Dataset.concat needs at least one dataset');
    const [first, ...rest] = datasets;
    for (const [k, d] of rest.entries()) {
      const same = d.names.length === first.names.length && first.names.every((n) => d.data.has(n));
      if (!same) {
        throw new Error(`Dataset.concat: dataset ${k + 1} has columns (${d.names.join(', ')}) but dataset 0 has (${first.names.join(', ')})`);
      }
      if (d.label !== first.label) {
        throw new Error(`Dataset.concat: dataset ${k + 1} has label column ${d.label ?? 'none'} but dataset 0 has ${first.label ?? 'none'}`);
      }
    }
    const columns = first.names.map((n) => datasets.flatMap((d) => d.data.get(n) as CellValue[]));
    const sources = new Set(datasets.map((d) => d.source));
    return first.derive(first.names, columns, { source: sources.size === 1 ? first.source : undefined });
  }

  // ---- shape and columns --------------------------------------------------------------------------

  /** All column names, in order. */
  get columnNames(): (keyof R & string)[] {
    return [...this.names] as (keyof R & string)[];
  }

  /** The text input columns: every column except the label column, in order. */
  get textColumns(): (keyof R & string)[] {
    return this.names.filter((n) => n !== this.label) as (keyof R & string)[];
  }

  /** The label column's name, or undefined when the dataset has none. */
  get labelColumn(): (keyof R & string) | undefined {
    return this.label as (keyof R & string) | undefined;
  }

  /** [rows, columns] */
  get shape(): [number, number] {
    return [this.length, this.names.length];
  }

  /** One column's values (a copy). */
  column<K extends keyof R & string>(name: K): R[K][] {
    return this.cells(name).map(copyCell) as R[K][];
  }

  /** A text column as strings; throws naming the first row that holds anything else. */
  texts(name: keyof R & string): string[] {
    return this.cells(name).map((v, i) => {
      if (typeof v !== 'string') throw new Error(`${this.what()}: column '${name}' row ${i} is not text; found ${describeCell(v)}`);
      return v;
    });
  }

  /** A numeric column (scores, class ids) as numbers; throws naming the first row that holds anything else. */
  numbers(name: keyof R & string): number[] {
    return this.cells(name).map((v, i) => {
      if (typeof v !== 'number') throw new Error(`${this.what()}: column '${name}' row ${i} is not a number; found ${describeCell(v)}`);
      return v;
    });
  }

  /** A vector column (teacher embeddings, margins) as number arrays; throws naming the first row that holds anything else. */
  vectors(name: keyof R & string): number[][] {
    return this.cells(name).map((v, i) => {
      if (!Array.isArray(v)) throw new Error(`${this.what()}: column '${name}' row ${i} is not a vector; found ${describeCell(v)}`);
      return v.slice();
    });
  }

  /** Row i as an object (a copy). */
  row(i: number): R {
    if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`${this.what()}: row ${i} is out of range (0..${this.length - 1})`);
    const out: Record<string, CellValue> = {};
    for (const n of this.names) out[n] = copyCell((this.data.get(n) as CellValue[])[i]);
    return out as R;
  }

  /** All rows as objects. */
  toRecords(): R[] {
    const out: R[] = [];
    for (let i = 0; i < this.length; i++) out.push(this.row(i));
    return out;
  }

  *[Symbol.iterator](): Iterator<R> {
    for (let i = 0; i < this.length; i++) yield this.row(i);
  }

  // ---- column operations --------------------------------------------------------------------------

  /** Only these columns, in this order (the label column stays the label if selected). */
  select<K extends keyof R & string>(names: readonly K[]): Dataset<Pick<R, K>> {
    for (const n of names) this.cells(n);
    const label = this.label !== undefined && (names as readonly string[]).includes(this.label) ? this.label : null;
    return this.derive(names, names.map((n) => this.cells(n) as CellValue[]), { label }) as unknown as Dataset<Pick<R, K>>;
  }

  /** Without these columns. */
  removeColumns<K extends keyof R & string>(names: readonly K[]): Dataset<Omit<R, K>> {
    for (const n of names) this.cells(n);
    const keep = this.names.filter((n) => !(names as readonly string[]).includes(n));
    return this.select(keep as (keyof R & string)[]) as unknown as Dataset<Omit<R, K>>;
  }

  /** Renamed columns: `ds.rename({ premise: 'anchor', hypothesis: 'positive' })`. The label role follows its column. */
  rename<const M extends { [K in keyof R]?: string }>(mapping: M): Dataset<Renamed<R, M>> {
    const map = mapping as Record<string, string | undefined>;
    for (const k of Object.keys(map)) this.cells(k);
    const names = this.names.map((n) => map[n] ?? n);
    const label = this.label === undefined ? null : (map[this.label] ?? this.label);
    return this.derive(names, this.names.map((n) => this.cells(n) as CellValue[]), { label }) as unknown as Dataset<Renamed<R, M>>;
  }

  /** With a column added (at the end) or replaced (in place). */
  withColumn<K extends string, V extends CellValue>(name: K, values: readonly V[]): Dataset<Omit<R, K> & { [P in K]: V }> {
    const cells = this.checkNewColumn(name, values, 'withColumn');
    const names = this.names.includes(name) ? [...this.names] : [...this.names, name];
    const columns = names.map((n) => (n === name ? cells : (this.cells(n) as CellValue[])));
    return this.derive(names, columns) as unknown as Dataset<Omit<R, K> & { [P in K]: V }>;
  }

  /** With a new label column (replacing the current label column, if any): e.g. teacher embeddings or margins. */
  withLabel<K extends string, V extends CellValue>(name: K, values: readonly V[]): Dataset<Omit<R, K> & { [P in K]: V }> {
    const cells = this.checkNewColumn(name, values, 'withLabel');
    const names = this.names.filter((n) => n !== this.label && n !== name).concat(name);
    const columns = names.map((n) => (n === name ? cells : (this.cells(n) as CellValue[])));
    return this.derive(names, columns, { label: name }) as unknown as Dataset<Omit<R, K> & { [P in K]: V }>;
  }

  /** The same data with another label column (a name) or none (null): changes roles only. */
  withLabelColumn(name: (keyof R & string) | null): Dataset<R> {
    return this.derive(this.names, this.names.map((n) => this.cells(n) as CellValue[]), { label: name });
  }

  // ---- row operations -----------------------------------------------------------------------------

  /** A new dataset from one new row per row. The label column keeps its name if the new rows still have it. */
  map<R2 extends RowShape<R2>>(fn: (row: R, index: number) => R2, options: DatasetOptions = {}): Dataset<R2> {
    const rows: R2[] = [];
    for (let i = 0; i < this.length; i++) rows.push(fn(this.row(i), i));
    const keepLabel = this.label !== undefined && rows.length > 0 && Object.prototype.hasOwnProperty.call(rows[0], this.label);
    return Dataset.fromRecords(rows, { source: this.source, label: keepLabel ? this.label : undefined, ...options });
  }

  /** Only the rows for which fn returns true. */
  filter(fn: (row: R, index: number) => boolean): Dataset<R> {
    const keep: number[] = [];
    for (let i = 0; i < this.length; i++) if (fn(this.row(i), i)) keep.push(i);
    return this.selectRows(keep);
  }

  /** The rows at these indices, in this order (repeats allowed). */
  selectRows(indices: readonly number[]): Dataset<R> {
    for (const i of indices) {
      if (!Number.isInteger(i) || i < 0 || i >= this.length) throw new Error(`${this.what()}: row index ${i} is out of range (0..${this.length - 1})`);
    }
    return this.derive(this.names, this.names.map((n) => {
      const col = this.cells(n);
      return indices.map((i) => col[i]);
    }));
  }

  /** The first n rows (default 5). */
  head(n = 5): Dataset<R> {
    return this.slice(0, n);
  }

  /** Rows start..end-1 (negative values count from the end, as Array.slice). */
  slice(start = 0, end = this.length): Dataset<R> {
    return this.derive(this.names, this.names.map((n) => this.cells(n).slice(start, end)));
  }

  /** The rows in a random order (seeded). */
  shuffle(seed = 42): Dataset<R> {
    return this.selectRows(new Rng(seed).shuffle(range(this.length)));
  }

  /** This dataset followed by others with the same columns. */
  concat(...others: Dataset<R>[]): Dataset<R> {
    return Dataset.concat([this, ...others]);
  }

  /** A train and a test part, optionally stratified by a column (seeded). */
  trainTestSplit(options: TrainTestSplitOptions): { train: Dataset<R>; test: Dataset<R> } {
    const { testSize, seed = 42, stratifyBy, shuffle = true } = options;
    const n = this.length;
    const nTest = testSize > 0 && testSize < 1 ? Math.ceil(testSize * n) : testSize;
    if (!Number.isInteger(nTest) || nTest < 1 || nTest >= n) {
      throw new Error(`trainTestSplit: testSize must be a fraction in (0, 1) or a row count in 1..${n - 1} leaving both parts non-empty; got ${testSize} for ${n} rows`);
    }
    const rng = new Rng(seed);
    if (stratifyBy === undefined) {
      if (!shuffle) return { train: this.slice(0, n - nTest), test: this.slice(n - nTest) };
      const perm = rng.shuffle(range(n));
      return { train: this.selectRows(perm.slice(nTest)), test: this.selectRows(perm.slice(0, nTest)) };
    }
    if (!shuffle) throw new Error('trainTestSplit: stratifyBy needs shuffle: true (a stratified split draws rows per class)');
    const test = stratifiedTestRows(this.cells(stratifyBy as keyof R & string), stratifyBy, nTest, rng);
    const inTest = new Set(test);
    const train = range(n).filter((i) => !inTest.has(i));
    return { train: this.selectRows(rng.shuffle(train)), test: this.selectRows(rng.shuffle(test)) };
  }

  // ---- batches, DataFrames, display ---------------------------------------------------------------

  /** The Batch a loss receives for these rows: text columns in order, labels as float32 [B] or [B, d]. */
  toBatch(indices: readonly number[]): Batch {
    return collate(
      {
        textColumns: this.textColumns,
        labelColumn: this.label,
        column: (name) => this.cells(name as keyof R & string),
        length: this.length,
        source: this.source,
      },
      indices,
    );
  }

  /** A danfo.js DataFrame with the same columns (vector labels stay one array per cell). */
  toDataFrame(): DataFrame {
    return dataFrameFromColumns(this.names, this.names.map((n) => this.cells(n)));
  }

  private preview(n = 5): TablePreview {
    const shown = Math.min(n, this.length);
    const rows: string[][] = [];
    for (let i = 0; i < shown; i++) rows.push(this.names.map((c) => formatCell((this.data.get(c) as CellValue[])[i])));
    return {
      title: previewTitle(this.length, this.names.length, this.label, this.source),
      columns: [...this.names],
      rows,
      more: this.length - shown,
      labelColumn: this.label,
    };
  }

  toString(): string {
    return previewText(this.preview());
  }

  /** Jupyter display: the shape and the first rows, as text and as an HTML table. */
  [Symbol.for('jupyter.mimebundle')](): { 'text/plain': string; 'text/html': string } {
    const p = this.preview();
    return { 'text/plain': previewText(p), 'text/html': previewHtml(p) };
  }

  // ---- internals ----------------------------------------------------------------------------------

  private what(): string {
    return this.source ? `Dataset from ${this.source}` : 'Dataset';
  }

  private cells(name: string): readonly CellValue[] {
    const col = this.data.get(name);
    if (!col) throw new Error(`${this.what()} has no column '${name}'; its columns are ${this.names.join(', ') || '(none)'}`);
    return col;
  }

  private checkNewColumn(name: string, values: readonly CellValue[], op: string): CellValue[] {
    if (!Array.isArray(values) || values.length !== this.length) {
      throw new Error(`${op}('${name}'): needs ${this.length} values, one per row; got ${Array.isArray(values) ? values.length : describeCell(values)}`);
    }
    return values.map((v, i) => toCell(v, name, i, op));
  }

  /** A dataset sharing this one's source and label role (by name, if the column is still there). */
  private derive(names: readonly string[], columns: readonly CellValue[][], options: DatasetOptions = {}): Dataset<R> {
    const label = 'label' in options ? options.label : this.label !== undefined && names.includes(this.label) ? this.label : null;
    return new Dataset<R>(names, columns as CellValue[][], { source: 'source' in options ? options.source : this.source, label });
  }
}

function resolveLabel(names: readonly string[], label: LabelOption): string | undefined {
  if (label === null) return undefined;
  if (label !== undefined) {
    if (!names.includes(label)) throw new Error(`Dataset: label column '${label}' not found; the columns are ${names.join(', ') || '(none)'}`);
    return label;
  }
  return LABEL_COLUMN_NAMES.find((n) => names.includes(n));
}

/** Checks one value and makes it a cell: undefined → null, bigint → number, arrays must hold numbers. */
export function toCell(value: unknown, column: string, row: number, where: string): CellValue {
  if (value === undefined || value === null) return null;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'bigint':
      return Number(value);
  }
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const arr = Array.from(value as ArrayLike<unknown>);
    const bad = arr.findIndex((x) => typeof x !== 'number' && typeof x !== 'bigint');
    if (bad >= 0) {
      throw new Error(`${where}: column '${column}' row ${row}: arrays must hold numbers (a label vector); element ${bad} is ${describeCell(arr[bad])}`);
    }
    return arr.map(Number);
  }
  throw new Error(`${where}: column '${column}' row ${row}: a cell must be a string, number, boolean, number array or null; found ${describeCell(value)}`);
}

function copyCell(v: CellValue): CellValue {
  return Array.isArray(v) ? v.slice() : v;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

/** Test rows drawn per class so each class keeps its share (largest remainders fill up to nTest). */
function stratifiedTestRows(values: readonly CellValue[], column: string, nTest: number, rng: Rng): number[] {
  const groups = new Map<string, number[]>();
  values.forEach((v, i) => {
    if (Array.isArray(v)) throw new Error(`trainTestSplit: stratifyBy column '${column}' row ${i} holds a vector; stratify by a class or text column`);
    const key = `${typeof v}:${String(v)}`;
    const g = groups.get(key);
    if (g) g.push(i);
    else groups.set(key, [i]);
  });
  const n = values.length;
  const classes = [...groups.values()];
  const exact = classes.map((g) => (g.length * nTest) / n);
  const counts = exact.map(Math.floor);
  let left = nTest - counts.reduce((a, b) => a + b, 0);
  const byRemainder = exact.map((e, k) => [e - Math.floor(e), k] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, k] of byRemainder) {
    if (left === 0) break;
    if (counts[k] < classes[k].length) {
      counts[k]++;
      left--;
    }
  }
  return classes.flatMap((g, k) => rng.shuffle(g).slice(0, counts[k]));
}
