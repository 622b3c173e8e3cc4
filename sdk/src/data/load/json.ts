// A JSON file: an array of records ([{...}, ...]), an object of columns ({"a": [...], "b": [...]}), or
// an object with the records under one key ({"data": [...]}; pick the key with `field`).
import { lineAndColumn, DataFileError } from './errors';
import { findJsonSyntaxError } from './json-syntax';
import { TableBuilder, type Table } from './table';

export function parseJsonDocument(text: string, file: string, field?: string): Table {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let value: unknown;
  try {
    value = JSON.parse(src);
  } catch (e) {
    const err = findJsonSyntaxError(src);
    const pos = err ? lineAndColumn(src, err.offset) : {};
    throw new DataFileError(file, `invalid JSON: ${err?.message ?? (e as Error).message}`, pos);
  }
  if (field !== undefined) {
    if (!isObject(value) || !(field in value)) throw new DataFileError(file, `has no top-level key '${field}'`);
    value = value[field];
  }
  if (Array.isArray(value)) return recordsTable(value, file);
  if (isObject(value)) {
    const entries = Object.entries(value);
    if (entries.length > 0 && entries.every(([, v]) => Array.isArray(v))) {
      const arrays = entries.map(([, v]) => v as unknown[]);
      const lists = arrays.filter((a) => a.every((r) => isObject(r)));
      // {"data": [{...}, ...]}: one key holding the records
      if (entries.length === 1 && lists.length === 1 && arrays[0].length > 0) return recordsTable(arrays[0], file);
      return columnsTable(entries as [string, unknown[]][], file);
    }
  }
  throw new DataFileError(file, 'expected an array of records, an object of equal-length column arrays, or { field: [records] }');
}

function recordsTable(records: unknown[], file: string): Table {
  const table = new TableBuilder(file);
  records.forEach((r, i) => table.add(r, {}, `record ${i}`));
  return table.build();
}

function columnsTable(entries: [string, unknown[]][], file: string): Table {
  const length = entries[0][1].length;
  for (const [name, col] of entries) {
    if (col.length !== length) throw new DataFileError(file, `column '${name}' has ${col.length} values but '${entries[0][0]}' has ${length}`);
  }
  const table = new TableBuilder(file);
  for (let i = 0; i < length; i++) table.add(Object.fromEntries(entries.map(([name, col]) => [name, col[i]])), {}, `row ${i}`);
  return table.build();
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
