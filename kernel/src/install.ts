// Kernelspecs where Jupyter looks for them (jupyter_core's paths), written without Python:
// <data dir>/kernels/<name>/{kernel.json, logo-32x32.png, logo-64x64.png}.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { logoPng } from './logo';

export const DEFAULT_KERNEL_NAME = 'sentence-tfjs';
export const DISPLAY_NAME = 'TypeScript (sentence-tfjs)';
const BIN = path.resolve(__dirname, '..', 'bin', 'sentence-tfjs-kernel.js');

export type SpecLocation = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'prefix'; dir: string };

/** Jupyter's per-user data dir (jupyter_core.paths.jupyter_data_dir). */
export function userDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  const home = os.homedir();
  if (process.platform === 'darwin') return path.join(home, 'Library', 'Jupyter');
  if (process.platform === 'win32') return path.join(process.env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'jupyter');
  return path.join(process.env.XDG_DATA_HOME || path.join(home, '.local', 'share'), 'jupyter');
}

/** The active Python environment's prefix, which Jupyter searches as sys.prefix/share/jupyter. */
function envPrefix(): string | undefined {
  return process.env.VIRTUAL_ENV || process.env.CONDA_PREFIX || undefined;
}

export function kernelsDir(where: SpecLocation): string {
  switch (where.kind) {
    case 'user':
      return path.join(userDataDir(), 'kernels');
    case 'prefix':
      return path.join(path.resolve(where.dir), 'share', 'jupyter', 'kernels');
    case 'sys-prefix': {
      const prefix = envPrefix();
      if (!prefix) throw new Error('--sys-prefix: no active Python environment (VIRTUAL_ENV or CONDA_PREFIX is unset); use --user or --prefix DIR');
      return path.join(prefix, 'share', 'jupyter', 'kernels');
    }
  }
}

function checkName(name: string): void {
  if (!/^[a-z0-9._-]+$/i.test(name)) throw new Error(`--name: a kernel name may use letters, digits, ".", "_" and "-" only, found ${JSON.stringify(name)}`);
}

export function kernelSpec(): Record<string, unknown> {
  return {
    argv: [process.execPath, BIN, 'kernel', '--connection-file', '{connection_file}'],
    display_name: DISPLAY_NAME,
    language: 'typescript',
    interrupt_mode: 'signal',
    metadata: {},
  };
}

export function installKernelSpec(where: SpecLocation, name = DEFAULT_KERNEL_NAME): string {
  checkName(name);
  const dir = path.join(kernelsDir(where), name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernel.json'), JSON.stringify(kernelSpec(), null, 1) + '\n');
  fs.writeFileSync(path.join(dir, 'logo-32x32.png'), logoPng(32));
  fs.writeFileSync(path.join(dir, 'logo-64x64.png'), logoPng(64));
  return dir;
}

export function uninstallKernelSpec(where: SpecLocation, name = DEFAULT_KERNEL_NAME): string {
  checkName(name);
  const dir = path.join(kernelsDir(where), name);
  if (!fs.existsSync(path.join(dir, 'kernel.json'))) throw new Error(`no kernelspec ${name} in ${kernelsDir(where)}`);
  fs.rmSync(dir, { recursive: true });
  return dir;
}

/** Jupyter's search path for data files, first match wins (jupyter_core.paths.jupyter_path). */
export function jupyterPath(): string[] {
  const fromEnv = (process.env.JUPYTER_PATH ?? '').split(path.delimiter).filter(Boolean);
  const prefix = envPrefix();
  const system = process.platform === 'win32' ? [path.join(process.env.PROGRAMDATA ?? 'C:\\ProgramData', 'jupyter')] : ['/usr/local/share/jupyter', '/usr/share/jupyter'];
  return [...fromEnv, userDataDir(), ...(prefix ? [path.join(prefix, 'share', 'jupyter')] : []), ...system];
}

export function listKernelSpecs(): { name: string; dir: string }[] {
  const found = new Map<string, string>();
  for (const base of jupyterPath()) {
    const kernels = path.join(base, 'kernels');
    if (!fs.existsSync(kernels)) continue;
    for (const name of fs.readdirSync(kernels).sort()) {
      const dir = path.join(kernels, name);
      if (!found.has(name.toLowerCase()) && fs.existsSync(path.join(dir, 'kernel.json'))) found.set(name.toLowerCase(), dir);
    }
  }
  return [...found].map(([name, dir]) => ({ name, dir }));
}
