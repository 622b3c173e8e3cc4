// How a Dataset shows itself in a notebook: the shape, the label column and the first rows, as plain
// text and as a small HTML table (Jupyter picks the richest type the frontend supports).

export interface TablePreview {
  /** e.g. "Dataset: 2,999 rows × 3 columns (label: score)" */
  title: string;
  columns: string[];
  /** Cells already formatted as short strings. */
  rows: string[][];
  /** Rows not shown. */
  more: number;
  labelColumn?: string;
}

const MAX_CELL = 80;

/** A cell as a short string: long texts cut, vectors shown by their first values and length. */
export function formatCell(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value.length > MAX_CELL ? `${value.slice(0, MAX_CELL - 1)}…` : value;
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  if (Array.isArray(value)) {
    const shown = value.slice(0, 3).map(formatCell).join(', ');
    return value.length > 3 ? `[${shown}, … (${value.length})]` : `[${shown}]`;
  }
  return String(value);
}

export function previewTitle(length: number, columns: number, labelColumn: string | undefined, source: string | undefined): string {
  const shape = `${length.toLocaleString('en-US')} row${length === 1 ? '' : 's'} × ${columns} column${columns === 1 ? '' : 's'}`;
  const label = labelColumn ? `label: ${labelColumn}` : 'no label';
  return `Dataset: ${shape} (${label})${source ? ` from ${source}` : ''}`;
}

export function previewText(p: TablePreview): string {
  const header = p.columns.map((c) => (isMarkedLabel(p, c) ? `${c} (label)` : c));
  const widths = header.map((h, j) => Math.min(40, Math.max(h.length, ...p.rows.map((r) => oneLine(r[j]).length))));
  const fit = (s: string, w: number) => (s.length > w ? `${s.slice(0, w - 1)}…` : s.padEnd(w));
  const line = (cells: string[]) => cells.map((c, j) => fit(oneLine(c), widths[j])).join(' | ').trimEnd();
  const out = [p.title, line(header), widths.map((w) => '-'.repeat(w)).join('-+-')];
  for (const r of p.rows) out.push(line(r));
  if (p.more > 0) out.push(`… ${p.more.toLocaleString('en-US')} more row${p.more === 1 ? '' : 's'}`);
  return out.join('\n');
}

export function previewHtml(p: TablePreview): string {
  const th = p.columns
    .map((c) => `<th style="text-align:left">${escapeHtml(c)}${isMarkedLabel(p, c) ? ' <i>(label)</i>' : ''}</th>`)
    .join('');
  const body = p.rows
    .map((r) => `<tr>${r.map((c) => `<td style="text-align:left">${escapeHtml(c)}</td>`).join('')}</tr>`)
    .join('');
  const more = p.more > 0 ? `<tr><td colspan="${p.columns.length}">… ${p.more.toLocaleString('en-US')} more rows</td></tr>` : '';
  return `<div><p><b>${escapeHtml(p.title)}</b></p><table><thead><tr>${th}</tr></thead><tbody>${body}${more}</tbody></table></div>`;
}

// The label column is marked in the header, unless its name already says so.
function isMarkedLabel(p: TablePreview, column: string): boolean {
  return column === p.labelColumn && column !== 'label';
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, ' ');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
