// Figure: a plotly.js figure as a plain object ({data, layout}) that can become a self-contained HTML page
// (plotly.js inlined from node_modules) or a rich notebook output.
//
// In a notebook the MIME bundle carries application/vnd.plotly.v1+json (rendered natively where the
// plotly JupyterLab extension is installed), text/html as fallback, and text/plain. Inlining plotly.js
// (4.8 MB) into every output would make notebooks huge, so by default only the first figure a process
// displays carries it and later ones reuse window.Plotly (plotly.py's notebook renderer does the same);
// set Figure.notebookPlotlyJs = 'always' for outputs that stand alone.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PlotlyLayout, PlotlyTrace } from './plotly-types';
import { plotlySource } from './plotly-source';

export interface HTMLOptions {
  /** The page title. Default: the figure's title, else 'sentence-tfjs figure'. */
  title?: string;
  /** Plot height in pixels. Default: layout.height, else the full window. */
  height?: number;
}

/** JSON that is safe inside a <script> element. */
function scriptJSON(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

let plotlySentToNotebook = false;
let figureCounter = 0;

export class Figure {
  /** Whether notebook outputs inline plotly.js: only in the first figure of the process, or in every one. */
  static notebookPlotlyJs: 'once' | 'always' = 'once';

  constructor(
    readonly data: PlotlyTrace[],
    readonly layout: PlotlyLayout = {},
  ) {}

  toJSON(): { data: PlotlyTrace[]; layout: PlotlyLayout } {
    return { data: this.data, layout: this.layout };
  }

  /** A complete HTML page with plotly.js inlined: opens offline, in any browser. */
  toHTML(options: HTMLOptions = {}): string {
    const title = options.title ?? this.layout.title?.text ?? 'sentence-tfjs figure';
    const height = options.height ?? this.layout.height;
    const size = height ? `width:100%;height:${height}px` : 'width:100vw;height:100vh';
    return [
      '<!DOCTYPE html>',
      '<html><head><meta charset="utf-8">',
      `<title>${escapeHtml(title)}</title>`,
      '<style>html,body{margin:0;padding:0}</style>',
      `<script type="text/javascript">${plotlySource()}</script>`,
      '</head><body>',
      `<div id="plot" style="${size}"></div>`,
      `<script type="text/javascript">Plotly.newPlot('plot', ${scriptJSON(this.data)}, ${scriptJSON(this.layout)}, {responsive: true});</script>`,
      '</body></html>',
      '',
    ].join('\n');
  }

  /** Writes toHTML() to a file (creating its folder). */
  async saveHTML(path: string, options: HTMLOptions = {}): Promise<void> {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, this.toHTML(options), 'utf8');
  }

  /** A short description: trace types and the title. */
  toString(): string {
    const types = this.data.map((t) => t.type).join(', ');
    const title = this.layout.title?.text ? `, "${this.layout.title.text}"` : '';
    return `Figure(${this.data.length} trace${this.data.length === 1 ? '' : 's'}: ${types}${title})`;
  }

  /** The HTML fragment of a notebook output (see the note at the top of this file). */
  notebookHTML(): string {
    const inline = Figure.notebookPlotlyJs === 'always' || !plotlySentToNotebook;
    plotlySentToNotebook = true;
    const id = `sentence-tfjs-plot-${process.pid}-${++figureCounter}`;
    const height = this.layout.height ?? 450;
    const missing = 'plotly.js is not loaded in this page (the output that carried it was cleared): re-run this cell, or set Figure.notebookPlotlyJs = "always".';
    return (
      `<div id="${id}" style="width:100%;height:${height}px"></div>` +
      (inline ? `<script type="text/javascript">${plotlySource()}</script>` : '') +
      `<script type="text/javascript">(function(){var el=document.getElementById(${scriptJSON(id)});` +
      `if(!window.Plotly){el.textContent=${scriptJSON(missing)};return;}` +
      `window.Plotly.newPlot(el, ${scriptJSON(this.data)}, ${scriptJSON(this.layout)}, {responsive: true});})();</script>`
    );
  }

  /** What a notebook displays (the kernel finds it under Symbol.for('jupyter.mimebundle')). */
  mimeBundle(): Record<string, unknown> {
    return {
      'application/vnd.plotly.v1+json': this.toJSON(),
      'text/html': this.notebookHTML(),
      'text/plain': this.toString(),
    };
  }

  [Symbol.for('jupyter.mimebundle')](): Record<string, unknown> {
    return this.mimeBundle();
  }
}
