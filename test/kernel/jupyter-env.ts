// Test helpers: a throwaway Jupyter environment holding our kernelspec (never ~/.local or system dirs),
// and Debian's Python (/usr/bin/python3, which has jupyter_client, nbclient, jupyter_kernel_test).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import * as assert from 'node:assert/strict';

export const REPO = path.resolve(__dirname, '..', '..');
export const KERNEL_BIN = path.join(REPO, 'kernel', 'bin', 'sentence-tfjs-kernel.js');
export const PYTHON = '/usr/bin/python3';

export interface ProcessResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 170_000);
    const done = (status: number | null): void => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    };
    child.on('error', reject);
    child.on('close', done);
    // A kernel left behind by a killed client keeps our pipes open: do not wait for it.
    child.on('exit', (status) => setTimeout(() => done(status), 2000).unref());
  });
}

export interface JupyterEnv {
  /** A temporary folder: the kernelspec prefix, Jupyter's data/runtime dirs, and a notebook folder. */
  dir: string;
  /** Outside the repository, to check that cells still import the packages shipped with the kernel. */
  workDir: string;
  env: NodeJS.ProcessEnv;
  cleanup(): void;
}

export async function jupyterEnv(): Promise<JupyterEnv> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentence-tfjs-jupyter-'));
  const installed = await run(process.execPath, [KERNEL_BIN, 'install', '--prefix', dir]);
  if (installed.status !== 0) throw new Error(`install --prefix failed: ${installed.stderr}`);
  const workDir = path.join(dir, 'work');
  for (const sub of ['work', 'data', 'runtime', 'config']) fs.mkdirSync(path.join(dir, sub));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    JUPYTER_PATH: path.join(dir, 'share', 'jupyter'),
    JUPYTER_DATA_DIR: path.join(dir, 'data'),
    JUPYTER_RUNTIME_DIR: path.join(dir, 'runtime'),
    JUPYTER_CONFIG_DIR: path.join(dir, 'config'),
    PYTHONPATH: __dirname,
    PYTHONDONTWRITEBYTECODE: '1',
  };
  return { dir, workDir, env, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs a Python unittest module of this folder in a fresh Jupyter environment, with the notebook folder
 * outside the repository, and checks that all `ran` tests pass with exactly `skipped` skipped.
 */
export async function assertUnittestPasses(module: string, expected: { ran: number; skipped: string[] }): Promise<void> {
  const jupyter = await jupyterEnv();
  try {
    const result = await run(PYTHON, ['-m', 'unittest', '-v', module], { cwd: jupyter.workDir, env: jupyter.env });
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, new RegExp(`^Ran ${expected.ran} tests? `, 'm'));
    const skipped = result.stderr
      .split('\n')
      .filter((line) => / \.\.\. skipped/.test(line))
      .map((line) => line.split(' ')[0]);
    assert.deepEqual(skipped, expected.skipped);
  } finally {
    jupyter.cleanup();
  }
}
