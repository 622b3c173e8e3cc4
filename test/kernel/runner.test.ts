// `sentence-tfjs-kernel run`: the executed notebook equals what nbclient (jupyter nbconvert --execute)
// writes with the same kernel, byte for byte apart from timing metadata; failing cells give exit code 1
// unless allowed; --timeout interrupts the cell and fails the run.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KERNEL_BIN, PYTHON, jupyterEnv, run } from './jupyter-env';

interface NotebookJson {
  cells: { cell_type: string; source: string[]; outputs?: Record<string, unknown>[]; execution_count?: number | null; metadata: Record<string, unknown> }[];
  metadata: Record<string, unknown>;
}

const readJson = (file: string): NotebookJson => JSON.parse(fs.readFileSync(file, 'utf8')) as NotebookJson;

/** The notebook file as text, without the execution timestamps that differ between any two runs. */
function withoutTimings(file: string): string {
  const nb = readJson(file);
  for (const cell of nb.cells) delete cell.metadata.execution;
  return JSON.stringify(nb, null, 1);
}

function writeNotebook(dir: string, name: string, sources: string[], tags: string[][] = []): string {
  const file = path.join(dir, name);
  const cells = sources.map((source, i) => ({ cell_type: 'code', execution_count: null, id: `c${i}`, metadata: tags[i] ? { tags: tags[i] } : {}, outputs: [], source }));
  fs.writeFileSync(file, JSON.stringify({ cells, metadata: {}, nbformat: 4, nbformat_minor: 5 }));
  return file;
}

test('run writes the same notebook as nbclient', { timeout: 120_000 }, async () => {
  const jupyter = await jupyterEnv();
  try {
    const input = path.join(jupyter.workDir, 'outputs.ipynb');
    fs.copyFileSync(path.join(__dirname, 'fixtures', 'outputs.ipynb'), input);
    const ours = path.join(jupyter.workDir, 'ours.ipynb');
    const theirs = path.join(jupyter.workDir, 'theirs.ipynb');
    const [byRun, byNbclient] = await Promise.all([
      run(process.execPath, [KERNEL_BIN, 'run', input, '--output', ours, '--quiet'], { env: jupyter.env }),
      run(PYTHON, [path.join(__dirname, 'nbclient_run.py'), input, theirs], { env: jupyter.env }),
    ]);
    assert.equal(byRun.status, 0, byRun.stderr);
    assert.equal(byNbclient.status, 0, byNbclient.stderr);
    assert.equal(withoutTimings(ours), withoutTimings(theirs));
    // And what both wrote is what we meant: spot checks of the shapes.
    const cells = readJson(ours).cells;
    assert.deepEqual(cells[1].outputs, [
      { name: 'stdout', output_type: 'stream', text: ['stdout line\n'] },
      { name: 'stderr', output_type: 'stream', text: ['stderr line\n'] },
      { data: { 'text/plain': ['42'] }, execution_count: 1, metadata: {}, output_type: 'execute_result' },
    ]);
    assert.deepEqual(cells[2].outputs?.[0], { data: { 'text/html': ['<b>done</b>'], 'text/plain': ['<b>done</b>'] }, metadata: {}, output_type: 'display_data' });
    assert.deepEqual(cells[5].outputs?.map((o) => o.output_type), ['stream', 'execute_result']);
    assert.equal(cells[4].execution_count, null); // the empty cell is not run
    assert.deepEqual(Object.keys(cells[1].metadata.execution as object).sort(), ['iopub.execute_input', 'iopub.status.busy', 'iopub.status.idle', 'shell.execute_reply']);
  } finally {
    jupyter.cleanup();
  }
});

test('run exits 1 at a failing cell, and runs on with --allow-errors', { timeout: 60_000 }, async () => {
  const jupyter = await jupyterEnv();
  try {
    const input = writeNotebook(jupyter.workDir, 'fails.ipynb', ['const a = 1;', "throw new Error('stop here');", 'a + 1']);
    const stopped = await run(process.execPath, [KERNEL_BIN, 'run', input]);
    assert.equal(stopped.status, 1);
    assert.match(stopped.stderr, /cell 2\/3 \(notebook cell 2\) failed after [\d.]+ s: Error: stop here/);
    const partial = readJson(path.join(jupyter.workDir, 'fails.nbconvert.ipynb')).cells;
    assert.deepEqual(partial[1].outputs?.map((o) => [o.output_type, o.ename, o.evalue]), [['error', 'Error', 'stop here']]);
    assert.deepEqual(partial[2].outputs, []);
    assert.equal(partial[2].execution_count, null);

    const out = path.join(jupyter.workDir, 'allowed.ipynb');
    const allowed = await run(process.execPath, [KERNEL_BIN, 'run', input, '--allow-errors', '--output', out, '--quiet']);
    assert.equal(allowed.status, 0, allowed.stderr);
    assert.equal(allowed.stderr, '');
    assert.deepEqual(readJson(out).cells[2].outputs?.[0].data, { 'text/plain': ['2'] });
  } finally {
    jupyter.cleanup();
  }
});

test('run --timeout interrupts a cell that does not finish', { timeout: 60_000 }, async () => {
  const jupyter = await jupyterEnv();
  try {
    const input = writeNotebook(jupyter.workDir, 'hangs.ipynb', ['await new Promise(() => {});', "'not reached'"]);
    const result = await run(process.execPath, [KERNEL_BIN, 'run', input, '--timeout', '2', '--quiet']);
    assert.equal(result.status, 1);
    const cells = readJson(path.join(jupyter.workDir, 'hangs.nbconvert.ipynb')).cells;
    assert.deepEqual(cells[0].outputs?.map((o) => o.ename), ['KeyboardInterrupt']);
    assert.deepEqual(cells[1].outputs, []);
  } finally {
    jupyter.cleanup();
  }
});

test('run rejects bad arguments with the usage', async () => {
  const result = await run(process.execPath, [KERNEL_BIN, 'run', 'a.ipynb', 'b.ipynb']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /run: expected one notebook path, found 2/);
  assert.match(result.stderr, /Usage: sentence-tfjs-kernel <command>/);
  const timeout = await run(process.execPath, [KERNEL_BIN, 'run', 'a.ipynb', '--timeout', 'soon']);
  assert.match(timeout.stderr, /--timeout must be a positive number of seconds, found soon/);
});
