// plotly.js's default colour sequence (D3 category10), so our traces look like plotly's defaults while
// keeping the same colour for the same run or label across panels.
export const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
export const DASHES = ['solid', 'dash', 'dot', 'dashdot'] as const;

export function colorAt(i: number): string {
  return COLORS[i % COLORS.length];
}

/** Matrix rows from a tensor or arrays, for plots (a one-off read, not a hot path). */
export function matrixRows(m: { arraySync(): unknown } | readonly ArrayLike<number>[], what: string): number[][] {
  if (Array.isArray(m)) return (m as readonly ArrayLike<number>[]).map((r) => Array.from(r));
  if (m && typeof (m as { arraySync?: unknown }).arraySync === 'function') {
    const rows = (m as { arraySync(): unknown }).arraySync();
    if (Array.isArray(rows) && rows.every((r) => Array.isArray(r))) return rows as number[][];
    throw new Error(`${what} must be a 2-D tensor`);
  }
  throw new Error(`${what} must be a tf.Tensor2D or an array of rows; got ${typeof m}`);
}
