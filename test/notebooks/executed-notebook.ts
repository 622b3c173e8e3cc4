// What the notebook tests check in a notebook file: the committed copy is clean, and an executed copy ran
// every cell without an error, trained with the progress bar, showed a plotly figure and ends with the
// summary {scenario, metric, before, after} where training helped (after > before).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';

export interface NotebookOutput {
  output_type: string;
  data?: Record<string, unknown>;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

export interface NotebookCell {
  cell_type: string;
  source: string | string[];
  outputs?: NotebookOutput[];
  execution_count?: number | null;
}

export interface NotebookJson {
  nbformat: number;
  metadata: { kernelspec?: { name?: string; display_name?: string; language?: string } };
  cells: NotebookCell[];
}

export interface NotebookSummary {
  scenario: string;
  metric: string;
  before: number;
  after: number;
}

export function readNotebookJson(file: string): NotebookJson {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;
}

const text = (v: string | string[] | undefined): string => (Array.isArray(v) ? v.join('') : (v ?? ''));
const codeCells = (nb: NotebookJson): NotebookCell[] => nb.cells.filter((c) => c.cell_type === 'code' && text(c.source).trim() !== '');

/** The committed notebook: nbformat 4, the sentence-tfjs kernelspec, code cells without outputs or counts. */
export function checkCleanNotebook(nb: NotebookJson, file: string): void {
  assert.equal(nb.nbformat, 4, `${file}: nbformat ${nb.nbformat}, expected 4`);
  assert.deepEqual(
    nb.metadata.kernelspec,
    { display_name: 'TypeScript (sentence-tfjs)', language: 'typescript', name: 'sentence-tfjs' },
    `${file}: the kernelspec must be sentence-tfjs`,
  );
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== 'code') return;
    assert.deepEqual(c.outputs, [], `${file}: cell ${i + 1} is committed with outputs; commit notebooks without outputs`);
    assert.equal(c.execution_count, null, `${file}: cell ${i + 1} is committed with an execution count`);
  });
  assert.ok(codeCells(nb).length > 0, `${file}: no code cells`);
}

/** Every error output, as "cell N: Name: message" with the start of its traceback. */
export function errorOutputs(nb: NotebookJson): string[] {
  return nb.cells.flatMap((c, i) =>
    (c.outputs ?? [])
      .filter((o) => o.output_type === 'error')
      .map((o) => `cell ${i + 1}: ${o.ename}: ${o.evalue}\n${(o.traceback ?? []).slice(0, 8).join('\n')}`),
  );
}

/** The application/json summary the last code cell displays. */
export function summaryOf(nb: NotebookJson, file: string): NotebookSummary {
  const cells = codeCells(nb);
  const last = cells[cells.length - 1];
  const json = (last?.outputs ?? []).map((o) => o.data?.['application/json']).find((d) => d !== undefined);
  assert.ok(json !== undefined, `${file}: the last code cell displays no application/json summary (outputs: ${JSON.stringify(last?.outputs ?? []).slice(0, 300)})`);
  const s = json as Partial<NotebookSummary>;
  assert.ok(typeof s.scenario === 'string' && s.scenario !== '', `${file}: summary.scenario must be a non-empty string; found ${JSON.stringify(s.scenario)}`);
  assert.ok(typeof s.metric === 'string' && s.metric !== '', `${file}: summary.metric must be a non-empty string; found ${JSON.stringify(s.metric)}`);
  for (const k of ['before', 'after'] as const) {
    assert.ok(typeof s[k] === 'number' && Number.isFinite(s[k]), `${file}: summary.${k} must be a finite number; found ${JSON.stringify(s[k])}`);
  }
  return s as NotebookSummary;
}

/** An executed notebook: no errors, every code cell ran, a finished progress bar, a plotly figure, after > before. */
export function checkExecutedNotebook(nb: NotebookJson, file: string): NotebookSummary {
  const errors = errorOutputs(nb);
  assert.deepEqual(errors, [], `${file}: cells failed:\n${errors.join('\n\n')}`);
  const notRun = nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === 'code' && text(c.source).trim() !== '' && c.execution_count == null);
  assert.deepEqual(notRun.map(({ i }) => i + 1), [], `${file}: code cells that did not run`);
  const outputs = nb.cells.flatMap((c) => c.outputs ?? []);
  const plain = outputs.map((o) => text(o.data?.['text/plain'] as string | string[] | undefined));
  assert.ok(plain.some((t) => /^Training: 100%\|/.test(t)), `${file}: no finished 'Training' progress bar in the outputs`);
  const figures = outputs.map((o) => o.data?.['application/vnd.plotly.v1+json'] as { data?: unknown[] } | undefined);
  assert.ok(figures.some((f) => (f?.data?.length ?? 0) > 0), `${file}: no plotly figure with data in the outputs`);
  const summary = summaryOf(nb, file);
  assert.ok(summary.after > summary.before, `${file}: ${summary.scenario}: ${summary.metric} went from ${summary.before} to ${summary.after}; training must improve it`);
  return summary;
}
