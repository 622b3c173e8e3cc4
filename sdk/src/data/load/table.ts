// What every reader produces: named columns of cells. Records with differing keys are merged (a
// missing key is a null cell, which validation reports); label cells read as text are made numbers.
import { toCell } from '../dataset';
import { LABEL_COLUMN_NAMES, type CellValue, type LabelOption } from '../types';
import { DataFileError, messageOf, type FilePosition } from './errors';

export interface Table {
  names: string[];
  columns: CellValue[][];
}

/** Collects records (objects) into columns, in order of first appearance of each key. */
export class TableBuilder {
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private readonly columns: CellValue[][] = [];
  private rows = 0;

  constructor(private readonly file: string) {}

  add(record: unknown, position: FilePosition, what = 'a line'): void {
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      const found = Array.isArray(record) ? 'an array' : record === null ? 'null' : typeof record;
      throw new DataFileError(this.file, `${what} must be a JSON object of column values; found ${found}`, position);
    }
    for (const [key, value] of Object.entries(record)) {
      let j = this.index.get(key);
      if (j === undefined) {
        j = this.names.length;
        this.index.set(key, j);
        this.names.push(key);
        this.columns.push(new Array<CellValue>(this.rows).fill(null));
      }
      try {
        this.columns[j].push(toCell(value, key, this.rows, 'cell'));
      } catch (e) {
        throw new DataFileError(this.file, messageOf(e).replace(/^cell: /, ''), position);
      }
    }
    this.rows++;
    for (const c of this.columns) if (c.length < this.rows) c.push(null);
  }

  build(): Table {
    return { names: this.names, columns: this.columns };
  }
}

/** The label column a table will get, decided before building the Dataset so its text cells can be converted. */
export function labelColumnOf(names: readonly string[], label: LabelOption): string | undefined {
  if (label === null) return undefined;
  if (label !== undefined) return label;
  return LABEL_COLUMN_NAMES.find((n) => names.includes(n));
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A label cell from a text format (CSV, TSV): "0.5" → 0.5, "[0.1, 0.2]" → [0.1, 0.2], "true" → 1,
 * "" → null. Anything else stays a string for validation to report.
 */
export function labelFromText(cell: CellValue): CellValue {
  if (typeof cell !== 'string') return cell;
  const s = cell.trim();
  if (s === '') return null;
  if (NUMBER.test(s)) return Number(s);
  if (/^(nan|NaN)$/.test(s)) return NaN;
  if (s === 'true' || s === 'True') return 1;
  if (s === 'false' || s === 'False') return 0;
  if (s.startsWith('[') && s.endsWith(']')) {
    try {
      const v: unknown = JSON.parse(s);
      if (Array.isArray(v) && v.every((x) => typeof x === 'number')) return v as number[];
    } catch {
      // not a vector: left as text
    }
  }
  return cell;
}

/** Booleans in a label column mean 1/0 (e.g. a JSON `"label": true`). */
export function labelFromJson(cell: CellValue): CellValue {
  return typeof cell === 'boolean' ? Number(cell) : cell;
}
