// The notebook checks themselves, on small hand-made notebooks: each must reject what it is there to catch.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkCleanNotebook, checkExecutedNotebook, errorOutputs, type NotebookCell, type NotebookJson, type NotebookOutput } from './executed-notebook';

const KERNELSPEC = { display_name: 'TypeScript (sentence-tfjs)', language: 'typescript', name: 'sentence-tfjs' };
const bar: NotebookOutput = { output_type: 'display_data', data: { 'text/plain': 'Training: 100%|████| 10/10 [00:01<00:00]' } };
const figure: NotebookOutput = { output_type: 'display_data', data: { 'application/vnd.plotly.v1+json': { data: [{ type: 'scatter' }], layout: {} }, 'text/plain': 'Figure' } };
const summary = (before: unknown, after: unknown): NotebookOutput => ({
  output_type: 'display_data',
  data: { 'application/json': { scenario: 'pairs', metric: 'spearman', before, after }, 'text/plain': 'summary' },
});

function notebook(cells: NotebookCell[]): NotebookJson {
  return { nbformat: 4, metadata: { kernelspec: { ...KERNELSPEC } }, cells };
}

function executed(last: NotebookOutput[], extra: NotebookOutput[] = [bar, figure]): NotebookJson {
  return notebook([
    { cell_type: 'markdown', source: '# title' },
    { cell_type: 'code', source: 'train()', execution_count: 1, outputs: extra },
    { cell_type: 'code', source: ['display(', 'summary)'], execution_count: 2, outputs: last },
  ]);
}

test('a clean notebook passes; outputs, counts or another kernel are rejected', () => {
  const clean = notebook([{ cell_type: 'code', source: 'x', execution_count: null, outputs: [] }]);
  checkCleanNotebook(clean, 'a.ipynb');
  assert.throws(() => checkCleanNotebook(notebook([{ cell_type: 'code', source: 'x', execution_count: null, outputs: [bar] }]), 'a.ipynb'), /a\.ipynb: cell 1 is committed with outputs/);
  assert.throws(() => checkCleanNotebook(notebook([{ cell_type: 'code', source: 'x', execution_count: 3, outputs: [] }]), 'a.ipynb'), /cell 1 is committed with an execution count/);
  assert.throws(() => checkCleanNotebook({ ...clean, metadata: { kernelspec: { name: 'tslab' } } }, 'a.ipynb'), /the kernelspec must be sentence-tfjs/);
  assert.throws(() => checkCleanNotebook({ ...clean, nbformat: 3 }, 'a.ipynb'), /nbformat 3, expected 4/);
});

test('an executed notebook with a finished bar, a figure and a better metric passes', () => {
  assert.deepEqual(checkExecutedNotebook(executed([summary(0.5, 0.6)]), 'a.ipynb'), { scenario: 'pairs', metric: 'spearman', before: 0.5, after: 0.6 });
});

test('no improvement, a malformed or missing summary fails with the numbers', () => {
  assert.throws(() => checkExecutedNotebook(executed([summary(0.6, 0.6)]), 'a.ipynb'), /a\.ipynb: pairs: spearman went from 0\.6 to 0\.6; training must improve it/);
  assert.throws(() => checkExecutedNotebook(executed([summary(0.6, null)]), 'a.ipynb'), /summary\.after must be a finite number; found null/);
  assert.throws(() => checkExecutedNotebook(executed([summary('0.5', 0.6)]), 'a.ipynb'), /summary\.before must be a finite number; found "0\.5"/);
  assert.throws(() => checkExecutedNotebook(executed([{ output_type: 'stream', name: 'stdout', text: 'done' }]), 'a.ipynb'), /the last code cell displays no application\/json summary/);
});

test('error outputs, cells that did not run, a missing bar or figure fail', () => {
  const error: NotebookOutput = { output_type: 'error', ename: 'TypeError', evalue: 'x is not a function', traceback: ['Cell In[1], line 1'] };
  const failed = executed([summary(0.5, 0.6)], [bar, figure, error]);
  assert.deepEqual(errorOutputs(failed), ['cell 2: TypeError: x is not a function\nCell In[1], line 1']);
  assert.throws(() => checkExecutedNotebook(failed, 'a.ipynb'), /a\.ipynb: cells failed:\ncell 2: TypeError: x is not a function/);
  const notRun = executed([summary(0.5, 0.6)]);
  notRun.cells[1].execution_count = null;
  assert.throws(() => checkExecutedNotebook(notRun, 'a.ipynb'), /code cells that did not run/);
  const halfBar: NotebookOutput = { output_type: 'display_data', data: { 'text/plain': 'Training:  50%|██  | 5/10' } };
  assert.throws(() => checkExecutedNotebook(executed([summary(0.5, 0.6)], [halfBar, figure]), 'a.ipynb'), /no finished 'Training' progress bar/);
  assert.throws(() => checkExecutedNotebook(executed([summary(0.5, 0.6)], [bar]), 'a.ipynb'), /no plotly figure with data/);
});
