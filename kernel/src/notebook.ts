// Notebook files (nbformat 4) read and written the way nbformat does: multi-line strings are stored
// as lists of lines, keys sorted, one-space indent, so our output diffs cleanly against Jupyter's.
import * as fs from 'node:fs';
import { randomBytes } from 'node:crypto';

export type JsonObject = Record<string, unknown>;

export interface Cell {
  cell_type: 'code' | 'markdown' | 'raw';
  source: string;
  metadata: JsonObject & { tags?: string[] };
  outputs?: JsonObject[];
  execution_count?: number | null;
  [key: string]: unknown;
}

export interface Notebook {
  cells: Cell[];
  metadata: JsonObject;
  nbformat: number;
  nbformat_minor: number;
}

export function readNotebook(file: string): Notebook {
  let nb: Notebook;
  try {
    nb = JSON.parse(fs.readFileSync(file, 'utf8')) as Notebook;
  } catch (e) {
    throw new Error(`notebook ${file}: cannot read it as JSON (${(e as Error).message})`);
  }
  if (nb.nbformat !== 4 || !Array.isArray(nb.cells)) {
    throw new Error(`notebook ${file}: expected nbformat 4 with a "cells" list, found nbformat ${JSON.stringify(nb.nbformat)}`);
  }
  for (const cell of nb.cells) {
    cell.source = joinLines(cell.source);
    cell.metadata ??= {};
  }
  return nb;
}

export function writeNotebook(file: string, nb: Notebook): void {
  // nbformat 4.5 requires cell ids; nbformat adds missing ones the same way when it writes.
  if (nb.nbformat_minor >= 5) for (const cell of nb.cells) cell.id ??= randomBytes(4).toString('hex');
  fs.writeFileSync(file, JSON.stringify(sortKeys(splitLines(nb)), null, 1) + '\n');
}

function joinLines(v: unknown): string {
  return Array.isArray(v) ? v.join('') : typeof v === 'string' ? v : '';
}

/** Python's str.splitlines(keepends=True). */
export function splitLinesKeepEnds(s: string): string[] {
  return s.match(/[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]*(?:\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029])|[^\n\r\v\f\x1c-\x1e\x85\u2028\u2029]+$/g) ?? [];
}

/** nbformat.v4.rwbase.split_lines: sources, stream text and textual MIME data become lists of lines. */
function splitLines(nb: Notebook): Notebook {
  const splitBundle = (data: unknown): unknown => {
    if (typeof data !== 'object' || data === null) return data;
    const out: JsonObject = {};
    for (const [mime, v] of Object.entries(data)) {
      out[mime] = typeof v === 'string' && (mime.startsWith('text/') || mime === 'application/javascript' || mime === 'image/svg+xml') ? splitLinesKeepEnds(v) : v;
    }
    return out;
  };
  const cells = nb.cells.map((cell) => {
    const out: JsonObject = { ...cell, source: splitLinesKeepEnds(cell.source) };
    if (cell.cell_type === 'code' && cell.outputs) {
      out.outputs = cell.outputs.map((o) => {
        if (o.output_type === 'stream' && typeof o.text === 'string') return { ...o, text: splitLinesKeepEnds(o.text) };
        if (o.output_type === 'execute_result' || o.output_type === 'display_data') return { ...o, data: splitBundle(o.data) };
        return o;
      });
    }
    return out;
  });
  return { ...nb, cells: cells as unknown as Cell[] };
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as JsonObject)[k])]));
}
