// embeddingProjection: embeddings projected on their first two principal components (pca.ts), one marker
// trace per label so the legend colours them, hover showing the text. Axis titles give each component's
// share of the variance.
import { Figure } from './figure';
import { colorAt, matrixRows } from './palette';
import { pca } from './pca';
import type { PlotlyLayout, ScatterTrace } from './plotly-types';

export interface EmbeddingProjectionOptions {
  /** Text of each point, shown on hover. */
  texts?: readonly string[];
  title?: string;
  /** Marker size. Default 8. */
  markerSize?: number;
}

export function embeddingProjection(
  embeddings: { arraySync(): unknown } | readonly ArrayLike<number>[],
  labels?: readonly (string | number)[],
  options: EmbeddingProjectionOptions = {},
): Figure {
  const rows = matrixRows(embeddings, 'embeddingProjection: embeddings');
  if (labels && labels.length !== rows.length) throw new Error(`embeddingProjection: ${rows.length} embeddings but ${labels.length} labels`);
  if (options.texts && options.texts.length !== rows.length) throw new Error(`embeddingProjection: ${rows.length} embeddings but ${options.texts.length} texts`);
  if (rows.length > 0 && rows[0].length < 2) throw new Error(`embeddingProjection needs embeddings of dimension >= 2; got ${rows[0].length}`);
  const { projection, explainedVarianceRatio } = pca(rows, 2);
  const groups = new Map<string, number[]>();
  rows.forEach((_, i) => {
    const key = labels ? String(labels[i]) : 'embeddings';
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key)!.push(i);
  });
  const traces: ScatterTrace[] = [...groups.entries()].map(([label, idx], g) => {
    const t: ScatterTrace = {
      type: 'scatter',
      mode: 'markers',
      name: label,
      x: idx.map((i) => projection[i][0]),
      y: idx.map((i) => projection[i][1]),
      marker: { color: colorAt(g), size: options.markerSize ?? 8, opacity: 0.85 },
    };
    if (options.texts) {
      t.text = idx.map((i) => options.texts![i]);
      t.hovertemplate = `%{text}<br>${label}<extra></extra>`;
    }
    return t;
  });
  const pct = (r: number) => `${(r * 100).toFixed(1)}%`;
  const layout: PlotlyLayout = {
    xaxis: { title: { text: `PC1 (${pct(explainedVarianceRatio[0])} of variance)` }, zeroline: false },
    yaxis: { title: { text: `PC2 (${pct(explainedVarianceRatio[1])} of variance)` }, zeroline: false },
    height: 520,
    hovermode: 'closest',
    showlegend: !!labels,
    margin: { t: options.title ? 60 : 30 },
  };
  if (options.title) layout.title = { text: options.title };
  return new Figure(traces, layout);
}
