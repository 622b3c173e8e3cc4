// danfo.js DataFrame and Series as pandas shows them: an HTML table (large frames keep their first and
// last rows/columns, with the shape underneath) and an aligned text table. Detected by shape, not by
// class, so the kernel does not load danfo itself and any danfo copy works.
import { escapeHtml, truncatedPositions } from './html';

export interface DanfoLike {
  $isSeries: boolean;
  shape: number[];
  columns: string[];
  index: (string | number)[];
  values: unknown[];
}

export const MAX_ROWS = 20;
export const MAX_COLUMNS = 20;

export function isDanfoFrame(v: unknown): v is DanfoLike {
  if (typeof v !== 'object' || v === null || !('$isSeries' in v)) return false;
  const o = v as Partial<DanfoLike>;
  return Array.isArray(o.shape) && Array.isArray(o.columns) && Array.isArray(o.index) && Array.isArray(o.values);
}

/** The frame as a grid of strings (the Series is one column named after it). */
function grid(frame: DanfoLike): { columns: string[]; index: string[]; cell: (row: number, col: number) => string } {
  const values = frame.values;
  const rowOf = (r: number): unknown[] => (frame.$isSeries ? [values[r]] : (values[r] as unknown[]));
  return {
    columns: frame.columns.map(String),
    index: frame.index.map(String),
    cell: (r, c) => formatValue(rowOf(r)[c]),
  };
}

export function formatValue(v: unknown): string {
  if (typeof v === 'number') return Number.isInteger(v) || !Number.isFinite(v) ? String(v) : String(Number(v.toPrecision(6)));
  if (v === null || v === undefined) return String(v);
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

function shapeLine(frame: DanfoLike): string {
  const [rows, cols] = frame.shape;
  return frame.$isSeries ? `${rows} rows` : `${rows} rows × ${cols} columns`;
}

export function dataFrameHtml(frame: DanfoLike): string {
  const g = grid(frame);
  const rows = truncatedPositions(g.index.length, MAX_ROWS);
  const cols = truncatedPositions(g.columns.length, MAX_COLUMNS);
  const ellipsisCells = (tag: string): string => (cols.gapAfter >= 0 ? `<${tag}>…</${tag}>` : '');
  const headerCells = cols.positions.map((c, i) => `<th>${escapeHtml(g.columns[c])}</th>${i === cols.gapAfter ? ellipsisCells('th') : ''}`).join('');
  const body: string[] = [];
  rows.positions.forEach((r, i) => {
    const cells = cols.positions.map((c, j) => `<td>${escapeHtml(g.cell(r, c))}</td>${j === cols.gapAfter ? ellipsisCells('td') : ''}`).join('');
    body.push(`<tr><th>${escapeHtml(g.index[r])}</th>${cells}</tr>`);
    if (i === rows.gapAfter) body.push(`<tr><th>…</th>${cols.positions.map((_, j) => `<td>…</td>${j === cols.gapAfter ? '<td>…</td>' : ''}`).join('')}</tr>`);
  });
  return (
    '<div><table class="dataframe" border="1">' +
    `<thead><tr style="text-align: right;"><th></th>${headerCells}</tr></thead>` +
    `<tbody>${body.join('')}</tbody></table>` +
    `<p>${shapeLine(frame)}</p></div>`
  );
}

export function dataFrameText(frame: DanfoLike): string {
  const g = grid(frame);
  const rows = truncatedPositions(g.index.length, MAX_ROWS);
  const cols = truncatedPositions(g.columns.length, MAX_COLUMNS);
  const withGap = <T>(items: T[], gapAfter: number, gap: T): T[] => (gapAfter < 0 ? items : [...items.slice(0, gapAfter + 1), gap, ...items.slice(gapAfter + 1)]);
  const header = ['', ...withGap(cols.positions.map((c) => g.columns[c]), cols.gapAfter, '...')];
  const lines = rows.positions.map((r) => [g.index[r], ...withGap(cols.positions.map((c) => g.cell(r, c)), cols.gapAfter, '...')]);
  const table = [header, ...withGap(lines, rows.gapAfter, header.map(() => '...'))];
  const widths = header.map((_, c) => Math.max(...table.map((line) => line[c].length)));
  const text = table.map((line) => line.map((s, c) => (c === 0 ? s.padEnd(widths[c]) : s.padStart(widths[c]))).join('  ').trimEnd());
  const truncated = rows.gapAfter >= 0 || cols.gapAfter >= 0;
  return text.join('\n') + (truncated ? `\n\n[${shapeLine(frame).replace('×', 'x')}]` : '');
}
