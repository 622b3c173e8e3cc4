// loadDataset: a CSV, TSV, JSON Lines, JSON, Parquet or text file (or one split of a dataset folder)
// as a Dataset. Errors name the file, and the line and column for text formats.
import { readFile, stat } from 'node:fs/promises';
import { Dataset } from '../dataset';
import type { CellValue, LabelOption, Row } from '../types';
import { parseDelimited } from './csv';
import { DataFileError, messageOf } from './errors';
import { splitFiles } from './folder';
import { DATA_FORMATS, formatOfPath, type DataFormat } from './format';
import { parseJsonDocument } from './json';
import { parseJsonLines } from './jsonl';
import { parseParquet } from './parquet';
import { labelColumnOf, labelFromJson, labelFromText, type Table } from './table';
import { parseTextLines } from './text-lines';

export { DataFileError } from './errors';
export type { DataFormat } from './format';

export interface LoadDatasetOptions {
  /** The file format; by default from the extension (.csv, .tsv, .jsonl, .json, .parquet, .txt). */
  format?: DataFormat;
  /** The label column: a name, or null for none; by default label / labels / score / scores. */
  label?: LabelOption;
  /** Keep only these columns, in this order. */
  columns?: readonly string[];
  /** For a folder: the split to load (train, validation, test). */
  split?: string;
  /** For a folder with prefixed files (pairs-train.jsonl, triplets-train.jsonl): the prefix. */
  subset?: string;
  /** CSV/TSV: the quote character (default '"'), or null when quotes are plain text. */
  quote?: string | null;
  /** CSV/TSV: a field separator other than the format's (',' or tab). */
  delimiter?: string;
  /** JSON: the top-level key holding the records. */
  field?: string;
}

/** A dataset folder's splits by name: `const { train, validation, test } = await loadDatasetDict(dir)`. */
export type DatasetDict<R extends object = Row> = Record<string, Dataset<R>>;

/**
 * One file, or one split of a folder (`{ split: 'train' }`), as a Dataset. The type argument R only
 * describes the columns to the compiler (`loadDataset<{ text: string; label: number }>(path)`); use
 * validateDataset / validateForLoss to check the data.
 */
export async function loadDataset<R extends object = Row>(path: string, options: LoadDatasetOptions = {}): Promise<Dataset<R>> {
  if (await isDirectory(path)) {
    const files = await splitFiles(path, options.subset);
    if (options.split === undefined) {
      throw new DataFileError(path, `is a folder with splits ${files.map((f) => f.split).join(', ')}: pass { split: '${files[0].split}' } or use loadDatasetDict`);
    }
    const split = splitAlias(options.split);
    const file = files.find((f) => f.split === split);
    if (!file) throw new DataFileError(path, `has no split '${options.split}' (it has ${files.map((f) => f.split).join(', ')})`);
    return loadFile<R>(file.path, options);
  }
  if (options.split !== undefined || options.subset !== undefined) {
    throw new DataFileError(path, 'split and subset apply to a folder; this is a file');
  }
  return loadFile<R>(path, options);
}

/** Every split of a dataset folder (train / validation / test files). */
export async function loadDatasetDict<R extends object = Row>(dir: string, options: Omit<LoadDatasetOptions, 'split'> = {}): Promise<DatasetDict<R>> {
  const files = await splitFiles(dir, options.subset);
  const out: DatasetDict<R> = {};
  for (const f of files) out[f.split] = await loadFile<R>(f.path, options);
  return out;
}

async function loadFile<R extends object>(file: string, options: LoadDatasetOptions): Promise<Dataset<R>> {
  const format = options.format ?? formatOfPath(file);
  if (!format || !DATA_FORMATS.includes(format)) {
    throw new DataFileError(file, `unknown format${options.format ? ` '${options.format}'` : ' (extension)'}: use one of ${DATA_FORMATS.join(', ')} via { format }`);
  }
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new DataFileError(file, code === 'ENOENT' ? 'no such file' : `cannot read: ${messageOf(e)}`);
  }
  const table = await parse(format, bytes, file, options);
  return toDataset<R>(table, file, options, format === 'csv' || format === 'tsv');
}

async function parse(format: DataFormat, bytes: Buffer, file: string, options: LoadDatasetOptions): Promise<Table> {
  if (format === 'parquet') return parseParquet(bytes, file);
  const text = bytes.toString('utf8');
  switch (format) {
    case 'csv':
      return parseDelimited(text, file, { delimiter: options.delimiter ?? ',', quote: options.quote });
    case 'tsv':
      return parseDelimited(text, file, { delimiter: options.delimiter ?? '\t', quote: options.quote });
    case 'jsonl':
      return parseJsonLines(text, file);
    case 'json':
      return parseJsonDocument(text, file, options.field);
    case 'text':
      return parseTextLines(text);
  }
}

function toDataset<R extends object>(table: Table, file: string, options: LoadDatasetOptions, fromText: boolean): Dataset<R> {
  let { names, columns } = table;
  if (options.columns) {
    const missing = options.columns.filter((c) => !names.includes(c));
    if (missing.length) throw new DataFileError(file, `has no column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')} (its columns are ${names.join(', ')})`);
    columns = options.columns.map((c) => columns[names.indexOf(c)]);
    names = [...options.columns];
  }
  const label = labelColumnOf(names, options.label);
  if (label !== undefined && !names.includes(label)) {
    throw new DataFileError(file, `has no label column '${label}' (its columns are ${names.join(', ')})`);
  }
  const cells: Record<string, CellValue[]> = {};
  names.forEach((n, j) => {
    cells[n] = n === label ? columns[j].map(fromText ? labelFromText : labelFromJson) : columns[j];
  });
  return Dataset.fromColumns(cells, { label: label ?? null, source: file }) as unknown as Dataset<R>;
}

function splitAlias(split: string): string {
  const s = split.toLowerCase();
  return s === 'dev' || s === 'valid' || s === 'val' ? 'validation' : s;
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
