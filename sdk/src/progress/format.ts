// How a progress bar reads, as tqdm prints it:
//   Training:  45%|█████████           | 45/100 [00:12<00:15,  3.61it/s, loss=0.532]
// The same state gives the one-line text (terminal, text/plain) and the HTML (Jupyter).

export interface ProgressState {
  description: string;
  n: number;
  /** 0 when unknown. */
  total: number;
  elapsedSeconds: number;
  /** Items per second, or undefined before any measurable progress. */
  rate: number | undefined;
  unit: string;
  postfix: Record<string, number | string>;
}

/** mm:ss, or h:mm:ss from an hour on. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?';
  const s = Math.round(seconds);
  const two = (x: number) => String(x).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${two(m)}:${two(s % 60)}`;
}

/** "3.61it/s", or "2.50s/it" when slower than one per second. */
export function formatRate(rate: number | undefined, unit: string): string {
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0) return `?${unit}/s`;
  return rate >= 1 ? `${rate.toFixed(2)}${unit}/s` : `${(1 / rate).toFixed(2)}s/${unit}`;
}

/** Short numbers for the postfix: 4 significant digits, exponent for very small or large values. */
export function formatValue(v: number | string): string {
  if (typeof v === 'string') return v;
  if (Number.isInteger(v) || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(2) : String(Number(v.toPrecision(4)));
}

function counterAndTimes(s: ProgressState): string {
  const counts = s.total > 0 ? `${s.n}/${s.total}` : `${s.n}${s.unit}`;
  const remaining = s.total > 0 && s.rate ? formatDuration((s.total - s.n) / s.rate) : '?';
  const times = s.total > 0 ? `${formatDuration(s.elapsedSeconds)}<${remaining}` : formatDuration(s.elapsedSeconds);
  const post = Object.entries(s.postfix).map(([k, v]) => `, ${k}=${formatValue(v)}`).join('');
  return `${counts} [${times}, ${formatRate(s.rate, s.unit)}${post}]`;
}

const BLOCKS = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉', '█'];

export function renderText(s: ProgressState, width = 20): string {
  const head = s.description ? `${s.description}: ` : '';
  if (s.total <= 0) return `${head}${counterAndTimes(s)}`;
  const frac = Math.min(1, Math.max(0, s.n / s.total));
  const eighths = Math.round(frac * width * 8);
  const full = Math.floor(eighths / 8);
  const bar = '█'.repeat(full) + (full < width ? BLOCKS[eighths % 8] + ' '.repeat(width - full - 1) : '');
  return `${head}${String(Math.floor(frac * 100)).padStart(3)}%|${bar}| ${counterAndTimes(s)}`;
}

function escapeHtml(x: string): string {
  return x.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function renderHtml(s: ProgressState, done: boolean): string {
  const value = s.total > 0 ? ` value="${Math.min(s.n, s.total)}" max="${s.total}"` : '';
  const pct = s.total > 0 ? `${Math.floor(Math.min(1, s.n / s.total) * 100)}%` : '';
  const style = 'font-family:monospace;font-size:12px;display:flex;gap:8px;align-items:center;white-space:nowrap';
  return (
    `<div class="sentence-tfjs-progress" style="${style}">` +
    (s.description ? `<span>${escapeHtml(s.description)}</span>` : '') +
    `<progress${value} style="width:240px${done ? ';accent-color:#2e7d32' : ''}"></progress>` +
    `<span>${pct}</span><span>${escapeHtml(counterAndTimes(s))}</span></div>`
  );
}
