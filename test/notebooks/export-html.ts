// `npm run notebooks:html`: executes every notebooks/*.ipynb as the tests do (nbclient, the sentence-tfjs
// kernelspec in a throwaway Jupyter folder, wasm backend) and writes the executed notebook and an HTML copy
// to build/notebooks/, then prints each notebook's run time and summary (the numbers in notebooks/README.md).
//   node --import tsx test/notebooks/export-html.ts [NAME_PART ...]   only notebooks whose file name contains a part
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PYTHON, REPO, jupyterEnv, run } from '../kernel/jupyter-env';
import { checkExecutedNotebook, readNotebookJson } from './executed-notebook';

const NOTEBOOKS = path.join(REPO, 'notebooks');
const OUT = path.join(REPO, 'build', 'notebooks');
const CELL_TIMEOUT_SECONDS = 600;

async function main(): Promise<number> {
  const parts = process.argv.slice(2);
  const files = fs
    .readdirSync(NOTEBOOKS)
    .filter((f) => f.endsWith('.ipynb') && !f.endsWith('.nbconvert.ipynb'))
    .filter((f) => parts.length === 0 || parts.some((p) => f.includes(p)))
    .sort();
  if (files.length === 0) throw new Error(`no notebook in notebooks/ matches ${parts.join(', ')}`);
  fs.mkdirSync(OUT, { recursive: true });
  const jupyter = await jupyterEnv();
  const env = { ...jupyter.env, SENTENCE_TFJS_BACKEND: 'wasm' };
  let failures = 0;
  try {
    for (const file of files) {
      const executed = path.join(OUT, file);
      const started = Date.now();
      const ran = await run(PYTHON, [path.join(__dirname, 'run_notebook.py'), path.join(NOTEBOOKS, file), executed, String(CELL_TIMEOUT_SECONDS)], { env, timeoutMs: 20 * 60_000 });
      const seconds = (Date.now() - started) / 1000;
      const html = await run(PYTHON, ['-m', 'nbconvert', '--to', 'html', '--output-dir', OUT, executed], { env });
      if (html.status !== 0) throw new Error(`nbconvert --to html ${file} failed: ${html.stderr}`);
      try {
        if (ran.status !== 0) throw new Error(ran.stderr.trim());
        const s = checkExecutedNotebook(readNotebookJson(executed), file);
        console.log(`${file}  ${seconds.toFixed(0)} s  ${s.metric}: ${s.before.toFixed(4)} → ${s.after.toFixed(4)}`);
      } catch (e) {
        failures += 1;
        console.error(`${file}  FAILED after ${seconds.toFixed(0)} s: ${(e as Error).message}`);
      }
    }
  } finally {
    jupyter.cleanup();
  }
  console.log(`HTML copies in ${path.relative(process.cwd(), OUT) || '.'}`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: Error) => {
    console.error(e.message);
    process.exit(1);
  },
);
