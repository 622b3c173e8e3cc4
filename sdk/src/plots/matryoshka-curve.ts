// matryoshkaCurve: an evaluation metric against the embedding dimension kept (MatryoshkaLoss models keep
// most of their quality when truncated). Dimensions on a log2 axis with a tick at each one; several series
// (models, losses, metrics) can share the plot.
import { Figure } from './figure';
import { colorAt } from './palette';
import type { PlotlyLayout, ScatterTrace } from './plotly-types';

export interface MatryoshkaCurveOptions {
  /** The y axis title. Default 'metric'. */
  metricName?: string;
  title?: string;
}

export function matryoshkaCurve(
  dims: readonly number[],
  metrics: readonly number[] | Readonly<Record<string, readonly number[]>>,
  options: MatryoshkaCurveOptions = {},
): Figure {
  if (!Array.isArray(dims) || dims.length === 0) throw new Error('matryoshkaCurve needs at least one dimension');
  dims.forEach((d, i) => {
    if (!Number.isInteger(d) || d < 1) throw new Error(`matryoshkaCurve: dims[${i}] must be a positive integer; got ${d}`);
  });
  const series: [string, readonly number[]][] = Array.isArray(metrics)
    ? [[options.metricName ?? 'metric', metrics as readonly number[]]]
    : Object.entries(metrics as Record<string, readonly number[]>);
  if (series.length === 0) throw new Error('matryoshkaCurve: no metric series given');
  const order = dims.map((_, i) => i).sort((a, b) => dims[a] - dims[b]);
  const traces: ScatterTrace[] = series.map(([name, values], s) => {
    if (values.length !== dims.length) throw new Error(`matryoshkaCurve: series '${name}' has ${values.length} values for ${dims.length} dimensions`);
    return {
      type: 'scatter',
      mode: 'lines+markers',
      name,
      x: order.map((i) => dims[i]),
      y: order.map((i) => values[i]),
      line: { color: colorAt(s) },
      hovertemplate: `${name}<br>dim %{x}: %{y:.4f}<extra></extra>`,
    };
  });
  const sorted = order.map((i) => dims[i]);
  const layout: PlotlyLayout = {
    xaxis: { title: { text: 'embedding dimension' }, type: 'log', tickvals: sorted, ticktext: sorted.map(String) },
    yaxis: { title: { text: options.metricName ?? 'metric' }, automargin: true },
    height: 420,
    showlegend: series.length > 1,
    margin: { t: options.title ? 60 : 30 },
  };
  if (options.title) layout.title = { text: options.title };
  return new Figure(traces, layout);
}
