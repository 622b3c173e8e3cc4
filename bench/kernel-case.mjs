// Kernel case of run.mjs: time from starting the sentence-tfjs kernel to its first execute_reply (through
// jupyter_client), and the wall time of `sentence-tfjs-kernel run` on a one-cell notebook. Skipped with a
// note when the kernel package does not build. SDK only: no Python kernel (ipykernel) is installed here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CELL = "import { tf } from 'sentence-tfjs';\ntf.tensor1d([1, 2, 3]).sum().arraySync()";

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)];
}

export function runKernelStartup({ root, log, quick }) {
  const build = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b', 'kernel'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    const why = `kernel package does not build (tsc -b kernel: ${(build.stdout + build.stderr).trim().split('\n')[0]})`;
    log(`  skipped: ${why}`);
    return { skipped: why, rows: [['kernel start → first execute_reply', '–', '–', '–', '–', `skipped: ${why}`]] };
  }
  const bin = join(root, 'kernel', 'bin', 'sentence-tfjs-kernel.js');
  const repeats = quick ? 1 : 3;
  const startup = [];
  const notebook = [];
  const dir = mkdtempSync(join(tmpdir(), 'sentence-tfjs-bench-'));
  try {
    const nb = join(dir, 'one-cell.ipynb');
    const cell = { cell_type: 'code', execution_count: null, metadata: {}, outputs: [], source: CELL };
    writeFileSync(nb, JSON.stringify({ cells: [cell], metadata: { kernelspec: { name: 'sentence-tfjs', display_name: 'TypeScript (sentence-tfjs)', language: 'typescript' } }, nbformat: 4, nbformat_minor: 5 }));
    for (let r = 0; r < repeats; r++) {
      const argv = JSON.stringify([process.execPath, bin, 'kernel', '--connection-file', '{connection_file}']);
      const s = spawnSync('/usr/bin/python3', [join(root, 'bench', 'kernel-startup.py'), argv, CELL], { cwd: dir, encoding: 'utf8', timeout: 400_000, env: { ...process.env, SENTENCE_TFJS_QUIET: '1' } });
      const line = (s.stdout ?? '').split('\n').find((l) => l.startsWith('BENCH_RESULT '));
      if (!line) {
        const why = `kernel did not reply: ${(s.stderr ?? '').trim().split('\n').slice(-2).join(' ').slice(0, 200)}`;
        log(`  ${why}`);
        return { error: why, rows: [['kernel start → first execute_reply', '–', '–', '–', '–', why]] };
      }
      const res = JSON.parse(line.slice('BENCH_RESULT '.length));
      startup.push(res.seconds[0]);
      const t0 = Date.now();
      const run = spawnSync(process.execPath, [bin, 'run', nb, '--output', join(dir, 'out.ipynb')], { cwd: dir, encoding: 'utf8', timeout: 400_000, env: { ...process.env, SENTENCE_TFJS_QUIET: '1' } });
      if (run.status !== 0) {
        const why = `one-cell notebook run failed: ${(run.stderr ?? '').trim().split('\n').slice(-2).join(' ').slice(0, 200)}`;
        log(`  ${why}`);
        return { startup, error: why, rows: [['kernel start → first execute_reply (s)', median(startup).toFixed(2), '–', '–', '–', res.status], ['1-cell notebook run (s)', '–', '–', '–', '–', why]] };
      }
      notebook.push((Date.now() - t0) / 1000);
      log(`  round ${r + 1}: first execute_reply ${startup[r].toFixed(2)} s, one-cell notebook ${notebook[r].toFixed(2)} s`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return {
    startup,
    notebook,
    rows: [
      ['kernel start → first execute_reply (s, cell imports sentence-tfjs)', median(startup).toFixed(2), '–', '–', '–', 'no Python kernel installed to compare'],
      ['1-cell notebook run, `sentence-tfjs-kernel run` (s)', median(notebook).toFixed(2), '–', '–', '–', ''],
    ],
  };
}
