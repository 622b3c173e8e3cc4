// trainingCurves: loss and evaluation metrics over training steps, from trainer.history (records or a danfo
// DataFrame), one run or several named runs overlaid to compare losses or settings.
// Panels, top to bottom: losses (loss, eval_loss, ...), evaluation metrics (everything else numeric), and
// the learning rate when asked. One run: one colour per column. Several runs: one colour per run, one
// dash style per column, legend entries "run: column".
import { Figure } from './figure';
import { colorAt, DASHES } from './palette';
import type { PlotlyAxis, PlotlyLayout, ScatterTrace } from './plotly-types';

/** One logged row: step, epoch, loss, learning rate, eval metrics... */
export type HistoryRecord = Readonly<Record<string, number | string | boolean | null | undefined>>;

/** What a danfo DataFrame offers (columns and row values), so danfo need not be imported here. */
export interface DataFrameLike {
  readonly columns: readonly string[];
  readonly values: readonly (readonly unknown[])[];
}

export type TrainingHistory = readonly HistoryRecord[] | DataFrameLike;

export interface TrainingCurvesOptions {
  /** Columns to plot (losses and metrics). Default: every numeric column except step/epoch/lr/timings. */
  metrics?: readonly string[];
  /** The x axis column. Default 'step'. */
  x?: 'step' | 'epoch';
  /** Add a learning-rate panel. Default false. */
  showLearningRate?: boolean;
  title?: string;
}

const LR_KEYS = ['learningRate', 'learning_rate', 'lr'];
const NOT_METRICS = /^(step|epoch|grad_?norm|gradNorm|total_flos)$|(_runtime|_samples_per_second|_steps_per_second)$/;
const isLoss = (k: string) => k === 'loss' || /(^|_)loss$/.test(k) || /Loss$/.test(k);

function isDataFrame(h: unknown): h is DataFrameLike {
  const d = h as DataFrameLike;
  return !!d && typeof d === 'object' && !Array.isArray(d) && Array.isArray(d.columns) && Array.isArray(d.values);
}

type NumericRows = Record<string, number>[];

function toRows(h: TrainingHistory, run: string): NumericRows {
  const numeric = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const pick = (entries: [string, unknown][]) => {
    const row: Record<string, number> = {};
    for (const [k, v] of entries) {
      const n = numeric(v);
      if (n !== undefined) row[k] = n;
    }
    return row;
  };
  if (isDataFrame(h)) return h.values.map((vals) => pick(h.columns.map((c, j) => [c, vals[j]])));
  if (!Array.isArray(h)) throw new Error(`trainingCurves: history${run ? ` '${run}'` : ''} must be an array of records or a DataFrame; got ${typeof h}`);
  return (h as readonly HistoryRecord[]).map((r, i) => {
    if (!r || typeof r !== 'object') throw new Error(`trainingCurves: history${run ? ` '${run}'` : ''} row ${i} is not a record`);
    return pick(Object.entries(r));
  });
}

export function trainingCurves(
  history: TrainingHistory | Readonly<Record<string, TrainingHistory>>,
  options: TrainingCurvesOptions = {},
): Figure {
  const single = Array.isArray(history) || isDataFrame(history);
  const named: [string, TrainingHistory][] = single ? [['', history as TrainingHistory]] : Object.entries(history as Record<string, TrainingHistory>);
  if (named.length === 0) throw new Error('trainingCurves: no history given');
  const runs = named.map(([name, h]) => ({ name, rows: toRows(h, name) }));
  const xKey = options.x ?? 'step';
  const columns = [...new Set(runs.flatMap((r) => r.rows.flatMap((row) => Object.keys(row))))];
  for (const r of runs) {
    if (!r.rows.some((row) => xKey in row)) {
      throw new Error(`trainingCurves: history${r.name ? ` '${r.name}'` : ''} has no numeric '${xKey}' column (columns: ${columns.join(', ') || 'none'})`);
    }
  }
  let plotted = columns.filter((c) => c !== xKey && !LR_KEYS.includes(c) && !NOT_METRICS.test(c));
  if (options.metrics) {
    for (const m of options.metrics) {
      if (!columns.includes(m)) throw new Error(`trainingCurves: metric '${m}' is not in the history (columns: ${columns.join(', ')})`);
    }
    plotted = [...options.metrics];
  }
  const lrKey = LR_KEYS.find((k) => columns.includes(k));
  const panels: { title: string; keys: string[] }[] = [
    { title: 'loss', keys: plotted.filter(isLoss) },
    { title: 'metric', keys: plotted.filter((k) => !isLoss(k)) },
    { title: 'learning rate', keys: options.showLearningRate && lrKey ? [lrKey] : [] },
  ].filter((p) => p.keys.length > 0);
  if (panels.length === 0) throw new Error(`trainingCurves: nothing to plot: no loss or metric columns (columns: ${columns.join(', ')})`);

  // The bottom panel uses the axis pair (x, y) so the x axis sits under it; panels above use y2, y3.
  const axisOf = (p: number) => (p === panels.length - 1 ? 'y' : `y${panels.length - p}`);
  const gap = 0.08;
  const h = (1 - gap * (panels.length - 1)) / panels.length;
  const layout: PlotlyLayout = {
    xaxis: { title: { text: xKey }, anchor: 'y', automargin: true },
    height: 260 * panels.length + 80,
    hovermode: 'closest',
    legend: { orientation: 'v' },
    margin: { t: options.title ? 60 : 30 },
  };
  if (options.title) layout.title = { text: options.title };
  panels.forEach((panel, p) => {
    const top = 1 - p * (h + gap);
    const axis: PlotlyAxis = { title: { text: panel.title }, domain: [Math.max(0, top - h), top], anchor: 'x', automargin: true };
    const a = axisOf(p);
    if (a === 'y') layout.yaxis = axis;
    else if (a === 'y2') layout.yaxis2 = axis;
    else layout.yaxis3 = axis;
  });

  const allKeys = panels.flatMap((p) => p.keys);
  const traces: ScatterTrace[] = [];
  runs.forEach((run, ri) => {
    panels.forEach((panel, p) => {
      panel.keys.forEach((key, ki) => {
        const points = run.rows.filter((row) => xKey in row && key in row);
        if (points.length === 0) return;
        const evalLike = !isLoss(key) || key.startsWith('eval');
        traces.push({
          type: 'scatter',
          x: points.map((row) => row[xKey]),
          y: points.map((row) => row[key]),
          mode: evalLike || points.length === 1 ? 'lines+markers' : 'lines',
          name: runs.length > 1 ? `${run.name}: ${key}` : key,
          legendgroup: runs.length > 1 ? run.name : key,
          xaxis: 'x',
          yaxis: axisOf(p),
          line: runs.length > 1 ? { color: colorAt(ri), dash: DASHES[ki % DASHES.length] } : { color: colorAt(allKeys.indexOf(key)) },
        });
      });
    });
  });
  return new Figure(traces, layout);
}
