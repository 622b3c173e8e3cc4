// Every bundled notebook (notebooks/*.ipynb), executed top to bottom by a real Jupyter client (Debian's
// nbclient) with the installed `sentence-tfjs` kernelspec on the wasm backend, one test per notebook:
// the committed file is clean (nbformat 4, our kernelspec, no outputs), no cell fails, there is at least
// one plotly figure, and the last cell displays an application/json summary {scenario, metric, before,
// after} with after > before (training helped). Notebook 00 also runs through `sentence-tfjs-kernel run`.
// The executed notebooks need the built SDK (`npm run build`): the kernel imports 'sentence-tfjs' from dist.
import { test, before, after } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { KERNEL_BIN, PYTHON, REPO, jupyterEnv, run, type JupyterEnv } from '../kernel/jupyter-env';
import { checkCleanNotebook, checkExecutedNotebook, readNotebookJson } from './executed-notebook';

const NOTEBOOKS = path.join(REPO, 'notebooks');
const RUNNER = path.join(__dirname, 'run_notebook.py');
/** Per-cell limit inside Jupyter, and a hard limit per notebook run: far above the 0.5-3 min a notebook takes. */
const CELL_TIMEOUT_SECONDS = 600;
const RUN_TIMEOUT_MS = 20 * 60_000;

const notebooks = fs
  .readdirSync(NOTEBOOKS)
  .filter((f) => f.endsWith('.ipynb') && !f.endsWith('.nbconvert.ipynb'))
  .sort();

let jupyter: JupyterEnv;
let env: NodeJS.ProcessEnv;

before(async () => {
  const built = path.join(REPO, 'sdk', 'dist', 'index.js');
  assert.ok(fs.existsSync(built), `${path.relative(REPO, built)} is missing: run \`npm run build\` first (notebooks import 'sentence-tfjs' from the built SDK)`);
  jupyter = await jupyterEnv();
  env = { ...jupyter.env, SENTENCE_TFJS_BACKEND: 'wasm' };
});

after(() => jupyter?.cleanup());

test('notebooks/ holds the bundled notebooks', () => {
  for (const n of ['00', '01', '02', '03', '04', '05', '06', '07', '08', '09', '10', '11']) assert.ok(notebooks.some((f) => f.startsWith(`${n}-`)), `no notebook ${n}-*.ipynb in notebooks/`);
});

for (const file of notebooks) {
  test(`${file} runs top to bottom under nbclient and training helps`, { timeout: RUN_TIMEOUT_MS + 60_000 }, async () => {
    const source = path.join(NOTEBOOKS, file);
    checkCleanNotebook(readNotebookJson(source), file);
    const executed = path.join(jupyter.dir, file.replace(/\.ipynb$/, '.executed.ipynb'));
    const result = await run(PYTHON, [RUNNER, source, executed, String(CELL_TIMEOUT_SECONDS)], { env, timeoutMs: RUN_TIMEOUT_MS });
    assert.ok(fs.existsSync(executed), `${file}: nbclient wrote no executed notebook (exit ${result.status}): ${result.stderr}`);
    checkExecutedNotebook(readNotebookJson(executed), file);
    assert.equal(result.status, 0, `${file}: nbclient failed: ${result.stderr}`);
  });
}

test('00-getting-started.ipynb also runs through `sentence-tfjs-kernel run`', { timeout: RUN_TIMEOUT_MS + 60_000 }, async () => {
  const file = notebooks.find((f) => f.startsWith('00-'));
  assert.ok(file, 'no notebook 00-*.ipynb');
  const output = path.join(jupyter.dir, 'getting-started.run.ipynb');
  const result = await run(process.execPath, [KERNEL_BIN, 'run', path.join(NOTEBOOKS, file), '--output', output, '--timeout', String(CELL_TIMEOUT_SECONDS), '--quiet'], {
    env,
    timeoutMs: RUN_TIMEOUT_MS,
  });
  assert.ok(fs.existsSync(output), `sentence-tfjs-kernel run wrote no notebook (exit ${result.status}): ${result.stderr}`);
  const nb = readNotebookJson(output);
  checkExecutedNotebook(nb, file);
  assert.equal(result.status, 0, `sentence-tfjs-kernel run failed: ${result.stderr}`);
  // The notebook's own checks, as printed: saved and reloaded embeddings are identical.
  const text = nb.cells.flatMap((c) => c.outputs ?? []).map((o) => JSON.stringify(o)).join('\n');
  assert.match(text, /reloaded model gives identical embeddings/);
});
