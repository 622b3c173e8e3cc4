// JSON Lines: one JSON object per line (blank lines skipped). A bad line is reported with its line and
// the column where the JSON goes wrong.
import { DataFileError } from './errors';
import { findJsonSyntaxError } from './json-syntax';
import { TableBuilder, type Table } from './table';

export function parseJsonLines(text: string, file: string): Table {
  const table = new TableBuilder(file);
  const lines = text.split('\n');
  lines.forEach((raw, k) => {
    const line = k === 0 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (e) {
      const err = findJsonSyntaxError(line.replace(/\r$/, ''));
      throw new DataFileError(file, `invalid JSON: ${err?.message ?? (e as Error).message}`, { line: k + 1, column: (err?.offset ?? 0) + 1 });
    }
    table.add(value, { line: k + 1 });
  });
  return table.build();
}
