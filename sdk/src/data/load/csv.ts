// CSV and TSV (RFC 4180): a header line, then one record per line; fields may be quoted ("a, b"),
// quotes inside quoted fields are doubled (""), quoted fields may span lines. Every record must have
// as many fields as the header. Cells stay strings (labels are converted later, by column role).
import type { CellValue } from '../types';
import { DataFileError } from './errors';
import type { Table } from './table';

export interface DelimitedOptions {
  /** Field separator: ',' for CSV, '\t' for TSV. */
  delimiter: string;
  /** Quote character (default '"'); null when quotes are plain text (some TSV files). */
  quote?: string | null;
}

export function parseDelimited(text: string, file: string, options: DelimitedOptions): Table {
  const { delimiter } = options;
  const quote = options.quote === undefined ? '"' : options.quote;
  if (delimiter.length !== 1) throw new DataFileError(file, `the delimiter must be one character; got ${JSON.stringify(delimiter)}`);
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: { fields: string[]; line: number }[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = src.length;
  const at = (pos: number, ln = line, ls = lineStart) => ({ line: ln, column: pos - ls + 1 });

  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    for (;;) {
      let field = '';
      if (quote !== null && src[i] === quote) {
        const open = at(i);
        i++;
        for (;;) {
          if (i >= n) {
            throw new DataFileError(file, `unterminated quoted field (no closing ${quote})${quote === '"' ? '; if quotes are plain text in this file, load it with { quote: null }' : ''}`, open);
          }
          const c = src[i];
          if (c === quote) {
            if (src[i + 1] === quote) {
              field += quote;
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') {
            line++;
            lineStart = i + 1;
          }
          field += c;
          i++;
        }
        if (i < n && src[i] !== delimiter && src[i] !== '\n' && src[i] !== '\r') {
          throw new DataFileError(file, `unexpected '${src[i]}' after a closing quote (expected '${delimiter === '\t' ? '\\t' : delimiter}' or the end of the line)`, at(i));
        }
      } else {
        const start = i;
        while (i < n && src[i] !== delimiter && src[i] !== '\n' && src[i] !== '\r') i++;
        field = src.slice(start, i);
      }
      fields.push(field);
      if (i < n && src[i] === delimiter) {
        i++;
        continue;
      }
      // end of line or of input
      if (src[i] === '\r') i++;
      if (src[i] === '\n') i++;
      line++;
      lineStart = i;
      break;
    }
    const blank = fields.length === 1 && fields[0] === '';
    if (!blank) records.push({ fields, line: recordLine });
  }

  if (records.length === 0) throw new DataFileError(file, 'the file is empty (expected a header line)');
  const header = records[0].fields;
  const seen = new Map<string, number>();
  header.forEach((name, j) => {
    if (name.trim() === '') throw new DataFileError(file, `header field ${j + 1} is empty: every column needs a name`, { line: records[0].line });
    const prev = seen.get(name);
    if (prev !== undefined) throw new DataFileError(file, `header names column '${name}' twice (fields ${prev + 1} and ${j + 1})`, { line: records[0].line });
    seen.set(name, j);
  });
  const columns: CellValue[][] = header.map(() => []);
  for (const r of records.slice(1)) {
    if (r.fields.length !== header.length) {
      throw new DataFileError(file, `expected ${header.length} fields as in the header (${header.join(', ')}); found ${r.fields.length}`, { line: r.line });
    }
    r.fields.forEach((f, j) => columns[j].push(f));
  }
  return { names: header, columns };
}
