import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { Figure, embeddingProjection, matryoshkaCurve, similarityHeatmap, trainingCurves } from '../../../sdk/src/plots';
import type { HeatmapTrace, ScatterTrace } from '../../../sdk/src/plots';

const history = [
  { step: 10, epoch: 0.5, loss: 1.2, learning_rate: 2e-5 },
  { step: 20, epoch: 1, loss: 0.9, learning_rate: 1e-5 },
  { step: 20, epoch: 1, eval_loss: 1.0, 'eval_sts-dev_spearman_cosine': 0.61, eval_runtime: 1.5 },
  { step: 30, epoch: 1.5, loss: 0.7, learning_rate: 5e-6 },
  { step: 40, epoch: 2, loss: 0.6, learning_rate: 0 },
  { step: 40, epoch: 2, eval_loss: 0.8, 'eval_sts-dev_spearman_cosine': 0.72, eval_runtime: 1.4 },
];

const scatter = (f: Figure) => f.data as ScatterTrace[];

describe('trainingCurves', () => {
  it('one run: loss panel on top, metrics below, timings and lr left out', () => {
    const f = trainingCurves(history, { title: 'CoSENT' });
    assert.deepEqual(scatter(f).map((t) => [t.type, t.name, t.yaxis, t.x, t.y]), [
      ['scatter', 'loss', 'y2', [10, 20, 30, 40], [1.2, 0.9, 0.7, 0.6]],
      ['scatter', 'eval_loss', 'y2', [20, 40], [1.0, 0.8]],
      ['scatter', 'eval_sts-dev_spearman_cosine', 'y', [20, 40], [0.61, 0.72]],
    ]);
    assert.equal(f.layout.title?.text, 'CoSENT');
    assert.equal(f.layout.xaxis?.title?.text, 'step');
    assert.equal(f.layout.yaxis2?.title?.text, 'loss');
    assert.equal(f.layout.yaxis?.title?.text, 'metric');
    const [lo, hi] = f.layout.yaxis!.domain!;
    assert.ok(hi < f.layout.yaxis2!.domain![0] && lo === 0, 'metric panel under the loss panel');
    assert.equal(scatter(f)[0].mode, 'lines');
    assert.equal(scatter(f)[2].mode, 'lines+markers');
  });

  it('learning rate panel, epoch on x, chosen metrics', () => {
    const f = trainingCurves(history, { x: 'epoch', metrics: ['loss'], showLearningRate: true });
    assert.deepEqual(scatter(f).map((t) => [t.name, t.yaxis, t.x.length]), [['loss', 'y2', 4], ['learning_rate', 'y', 4]]);
    assert.equal(f.layout.xaxis?.title?.text, 'epoch');
    assert.equal(f.layout.yaxis?.title?.text, 'learning rate');
  });

  it('several named runs overlay: one colour per run, dash per column', () => {
    const other = history.map((r) => ({ ...r, loss: r.loss === undefined ? undefined : r.loss * 2 }));
    const f = trainingCurves({ mnrl: history, cosent: other });
    const names = scatter(f).map((t) => t.name);
    assert.deepEqual(names, ['mnrl: loss', 'mnrl: eval_loss', 'mnrl: eval_sts-dev_spearman_cosine', 'cosent: loss', 'cosent: eval_loss', 'cosent: eval_sts-dev_spearman_cosine']);
    assert.equal(scatter(f)[0].line?.color, scatter(f)[1].line?.color);
    assert.notEqual(scatter(f)[0].line?.color, scatter(f)[3].line?.color);
    assert.deepEqual(scatter(f)[3].y, [2.4, 1.8, 1.4, 1.2]);
  });

  it('reads a danfo DataFrame (NaN cells are gaps)', async () => {
    const { DataFrame } = await import('danfojs-node');
    const df = new DataFrame([{ step: 1, loss: 2, eval_acc: Number.NaN }, { step: 2, loss: 1, eval_acc: 0.5 }]);
    const f = trainingCurves(df);
    assert.deepEqual(scatter(f).map((t) => [t.name, t.x, t.y]), [['loss', [1, 2], [2, 1]], ['eval_acc', [2], [0.5]]]);
  });

  it('names what is missing', () => {
    assert.throws(() => trainingCurves([{ epoch: 1, loss: 1 }]), /trainingCurves: history has no numeric 'step' column \(columns: epoch, loss\)/);
    assert.throws(() => trainingCurves(history, { metrics: ['accuracy'] }), /trainingCurves: metric 'accuracy' is not in the history/);
    assert.throws(() => trainingCurves([{ step: 1, learning_rate: 1 }]), /nothing to plot: no loss or metric columns/);
  });
});

describe('similarityHeatmap', () => {
  const sentences = ['a cat', 'a dog', 'a very long sentence that will be shortened in the axis labels of the plot'];
  const m = [[1, 0.8, 0.1], [0.8, 1, 0.2], [0.1, 0.2, 1]];

  it('one heatmap cell per pair, labels by index, first sentence on top', () => {
    const f = similarityHeatmap(sentences, tf.tensor2d(m), { title: 'similarity', zmin: 0, zmax: 1 });
    const t = f.data[0] as HeatmapTrace;
    assert.equal(t.type, 'heatmap');
    assert.deepEqual(t.z, [[1, 0.800000011920929, 0.10000000149011612], [0.800000011920929, 1, 0.20000000298023224], [0.10000000149011612, 0.20000000298023224, 1]]);
    assert.deepEqual([t.x, t.y], [[0, 1, 2], [0, 1, 2]]);
    assert.equal(t.texttemplate, '%{z:.2f}');
    assert.equal(t.text![0][1], 'a cat<br>a dog');
    assert.deepEqual(f.layout.yaxis?.ticktext?.slice(0, 2), ['a cat', 'a dog']);
    assert.equal(f.layout.yaxis?.ticktext?.[2], 'a very long sentence that will be short…');
    assert.equal(f.layout.yaxis?.autorange, 'reversed');
  });

  it('rectangular with column sentences; names a shape mismatch', () => {
    const f = similarityHeatmap(['q1'], [[0.3, 0.4]], { columnSentences: ['d1', 'd2'], showValues: false });
    assert.equal((f.data[0] as HeatmapTrace).texttemplate, undefined);
    assert.throws(() => similarityHeatmap(sentences, [[1, 2]]), /similarityHeatmap: the matrix must be \[3, 3\] \(rows x column sentences\); got \[1, 2\]/);
  });
});

describe('embeddingProjection', () => {
  it('one marker trace per label with every point, PCA axis titles', () => {
    const emb = [[1, 0, 0], [0.9, 0.1, 0], [0, 1, 0], [0, 0.9, 0.2], [0, 0, 1]];
    const f = embeddingProjection(emb, ['x', 'x', 'y', 'y', 'z'], { texts: ['a', 'b', 'c', 'd', 'e'] });
    assert.deepEqual(scatter(f).map((t) => [t.type, t.mode, t.name, t.x.length, t.y.length, t.text]), [
      ['scatter', 'markers', 'x', 2, 2, ['a', 'b']],
      ['scatter', 'markers', 'y', 2, 2, ['c', 'd']],
      ['scatter', 'markers', 'z', 1, 1, ['e']],
    ]);
    assert.match(f.layout.xaxis!.title!.text, /^PC1 \(\d+\.\d% of variance\)$/);
    assert.match(f.layout.yaxis!.title!.text, /^PC2 \(\d+\.\d% of variance\)$/);
    assert.throws(() => embeddingProjection(emb, ['x']), /embeddingProjection: 5 embeddings but 1 labels/);
  });
});

describe('matryoshkaCurve', () => {
  it('dimensions sorted on a log axis, one series per name', () => {
    const f = matryoshkaCurve([768, 64, 256], { base: [0.8, 0.7, 0.78], matryoshka: [0.82, 0.79, 0.81] }, { metricName: 'spearman_cosine' });
    assert.deepEqual(scatter(f).map((t) => [t.name, t.x, t.y]), [['base', [64, 256, 768], [0.7, 0.78, 0.8]], ['matryoshka', [64, 256, 768], [0.79, 0.81, 0.82]]]);
    assert.equal(f.layout.xaxis?.type, 'log');
    assert.deepEqual(f.layout.xaxis?.ticktext, ['64', '256', '768']);
    assert.equal(f.layout.yaxis?.title?.text, 'spearman_cosine');
    assert.throws(() => matryoshkaCurve([64, 128], [0.5]), /series 'metric' has 1 values for 2 dimensions/);
  });
});

describe('Figure', () => {
  const fig = matryoshkaCurve([64, 128], [0.5, 0.6], { title: 'dims </script> & more' });

  it('toHTML is one self-contained page with plotly.js inlined and the figure JSON escaped', () => {
    const html = fig.toHTML();
    assert.ok(html.startsWith('<!DOCTYPE html>'));
    assert.ok(html.includes('plotly.js v3'), 'plotly.js source is inlined');
    assert.deepEqual(html.match(/<script[^>]*>/g), ['<script type="text/javascript">', '<script type="text/javascript">'], 'no script element has a src');
    assert.equal(html.match(/<\/script>/g)?.length, 2, 'the title cannot close a script element');
    assert.ok(html.includes('"text":"dims \\u003c/script> & more"'));
    assert.ok(html.includes('<title>dims &lt;/script&gt; &amp; more</title>'));
  });

  it('saveHTML writes toHTML() to the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sentence-tfjs-fig-'));
    try {
      const path = join(dir, 'sub', 'fig.html');
      await fig.saveHTML(path);
      assert.equal(await readFile(path, 'utf8'), fig.toHTML());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the notebook bundle: plotly JSON, HTML (plotly.js only in the first), plain text', () => {
    const viaSymbol = (fig as unknown as Record<symbol, () => Record<string, unknown>>)[Symbol.for('jupyter.mimebundle')];
    const bundle = viaSymbol.call(fig);
    assert.deepEqual(Object.keys(bundle), ['application/vnd.plotly.v1+json', 'text/html', 'text/plain']);
    assert.deepEqual(bundle['application/vnd.plotly.v1+json'], { data: fig.data, layout: fig.layout });
    assert.equal(bundle['text/plain'], 'Figure(1 trace: scatter, "dims </script> & more")');
    const first = String(bundle['text/html']);
    const second = String(fig.mimeBundle()['text/html']);
    assert.ok(first.includes('plotly.js v3') && !second.includes('plotly.js v3'));
    assert.ok(second.includes('window.Plotly.newPlot'));
    Figure.notebookPlotlyJs = 'always';
    try {
      assert.ok(fig.notebookHTML().includes('plotly.js v3'));
    } finally {
      Figure.notebookPlotlyJs = 'once';
    }
  });
});
