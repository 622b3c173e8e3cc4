// similarityHeatmap: the similarity matrix of a few sentences (model.similarity(e, e)), one cell per pair
// with its value written in, full sentences on hover. Rows read top to bottom in input order. Cells are
// placed by index, so two sentences with the same (shortened) label stay separate.
import { Figure } from './figure';
import { matrixRows } from './palette';
import type { HeatmapTrace, PlotlyLayout } from './plotly-types';

export interface SimilarityHeatmapOptions {
  /** Sentences of the columns when they differ from the rows (queries x documents). */
  columnSentences?: readonly string[];
  title?: string;
  /** Labels longer than this are shortened with an ellipsis. Default 40. */
  maxLabelLength?: number;
  /** Write each value in its cell. Default true. */
  showValues?: boolean;
  /** A plotly colorscale name. Default 'Viridis'. */
  colorscale?: string;
  zmin?: number;
  zmax?: number;
}

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, Math.max(1, max - 1))}…` : s;
}

export function similarityHeatmap(
  sentences: readonly string[],
  matrix: { arraySync(): unknown } | readonly ArrayLike<number>[],
  options: SimilarityHeatmapOptions = {},
): Figure {
  const rows = sentences;
  const cols = options.columnSentences ?? sentences;
  const z = matrixRows(matrix, 'similarityHeatmap: matrix');
  if (z.length !== rows.length || z.some((r) => r.length !== cols.length)) {
    const shape = `[${z.length}, ${z[0]?.length ?? 0}]`;
    throw new Error(`similarityHeatmap: the matrix must be [${rows.length}, ${cols.length}] (rows x column sentences); got ${shape}`);
  }
  const max = options.maxLabelLength ?? 40;
  const trace: HeatmapTrace = {
    type: 'heatmap',
    z,
    x: cols.map((_, j) => j),
    y: rows.map((_, i) => i),
    text: rows.map((r) => cols.map((c) => `${r}<br>${c}`)),
    hovertemplate: '%{text}<br>similarity %{z:.4f}<extra></extra>',
    colorscale: options.colorscale ?? 'Viridis',
    colorbar: { title: { text: 'similarity' } },
  };
  if (options.showValues ?? true) trace.texttemplate = '%{z:.2f}';
  if (options.zmin !== undefined) trace.zmin = options.zmin;
  if (options.zmax !== undefined) trace.zmax = options.zmax;
  const side = Math.max(320, 40 * Math.max(rows.length, cols.length) + 200);
  const layout: PlotlyLayout = {
    xaxis: { tickvals: cols.map((_, j) => j), ticktext: cols.map((c) => shorten(c, max)), tickangle: -35, automargin: true },
    yaxis: { tickvals: rows.map((_, i) => i), ticktext: rows.map((r) => shorten(r, max)), autorange: 'reversed', automargin: true },
    height: side,
    margin: { t: options.title ? 60 : 30 },
  };
  if (options.title) layout.title = { text: options.title };
  return new Figure([trace], layout);
}
