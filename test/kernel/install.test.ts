// install / uninstall / list: a kernelspec Jupyter finds (checked with Debian's `jupyter kernelspec list`),
// valid PNG logos, clear errors. Everything in a temporary prefix.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { KERNEL_BIN, run } from './jupyter-env';

function pngSize(file: string): { width: number; height: number; signature: string } {
  const png = fs.readFileSync(file);
  return { signature: png.subarray(0, 8).toString('hex'), width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

test('install --prefix writes a kernelspec that jupyter kernelspec list finds', async () => {
  const prefix = fs.mkdtempSync(path.join(os.tmpdir(), 'sentence-tfjs-install-'));
  const env = { ...process.env, JUPYTER_PATH: path.join(prefix, 'share', 'jupyter'), JUPYTER_DATA_DIR: path.join(prefix, 'data') };
  try {
    const installed = await run(process.execPath, [KERNEL_BIN, 'install', '--prefix', prefix], { env });
    assert.equal(installed.status, 0, installed.stderr);
    const dir = path.join(prefix, 'share', 'jupyter', 'kernels', 'sentence-tfjs');
    assert.equal(installed.stdout, `Installed kernelspec sentence-tfjs in ${dir}\n`);
    assert.deepEqual(fs.readdirSync(dir).sort(), ['kernel.json', 'logo-32x32.png', 'logo-64x64.png']);
    const spec = JSON.parse(fs.readFileSync(path.join(dir, 'kernel.json'), 'utf8'));
    assert.deepEqual(spec, {
      argv: [process.execPath, KERNEL_BIN, 'kernel', '--connection-file', '{connection_file}'],
      display_name: 'TypeScript (sentence-tfjs)',
      language: 'typescript',
      interrupt_mode: 'signal',
      metadata: {},
    });
    assert.deepEqual(pngSize(path.join(dir, 'logo-32x32.png')), { signature: '89504e470d0a1a0a', width: 32, height: 32 });
    assert.deepEqual(pngSize(path.join(dir, 'logo-64x64.png')), { signature: '89504e470d0a1a0a', width: 64, height: 64 });

    const jupyterList = await run('/usr/bin/jupyter', ['kernelspec', 'list', '--json'], { env });
    const specs = (JSON.parse(jupyterList.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: { display_name: string } }> }).kernelspecs;
    assert.equal(specs['sentence-tfjs'].resource_dir, dir);
    assert.equal(specs['sentence-tfjs'].spec.display_name, 'TypeScript (sentence-tfjs)');

    await run(process.execPath, [KERNEL_BIN, 'install', '--prefix', prefix, '--name', 'second'], { env });
    const ours = await run(process.execPath, [KERNEL_BIN, 'list'], { env });
    assert.match(ours.stdout, new RegExp(`^  second +${path.join(prefix, 'share', 'jupyter', 'kernels', 'second')}$`, 'm'));
    assert.match(ours.stdout, new RegExp(`^  sentence-tfjs +${dir}$`, 'm'));

    const removed = await run(process.execPath, [KERNEL_BIN, 'uninstall', '--prefix', prefix], { env });
    assert.equal(removed.status, 0, removed.stderr);
    assert.equal(fs.existsSync(dir), false);
    const again = await run(process.execPath, [KERNEL_BIN, 'uninstall', '--prefix', prefix], { env });
    assert.equal(again.status, 1);
    assert.equal(again.stderr, `sentence-tfjs-kernel: no kernelspec sentence-tfjs in ${path.join(prefix, 'share', 'jupyter', 'kernels')}\n`);
  } finally {
    fs.rmSync(prefix, { recursive: true, force: true });
  }
});

test('install --user honours JUPYTER_DATA_DIR; bad options are usage errors', async () => {
  const data = fs.mkdtempSync(path.join(os.tmpdir(), 'sentence-tfjs-user-'));
  try {
    const env = { ...process.env, JUPYTER_DATA_DIR: data };
    const user = await run(process.execPath, [KERNEL_BIN, 'install', '--user', '--name', 'mine'], { env });
    assert.equal(user.status, 0, user.stderr);
    assert.ok(fs.existsSync(path.join(data, 'kernels', 'mine', 'kernel.json')));

    const both = await run(process.execPath, [KERNEL_BIN, 'install', '--user', '--prefix', data], { env });
    assert.equal(both.status, 2);
    assert.match(both.stderr, /choose one of --user, --sys-prefix, --prefix \(found user, prefix\)/);
    const badName = await run(process.execPath, [KERNEL_BIN, 'install', '--prefix', data, '--name', 'no spaces'], { env });
    assert.match(badName.stderr, /--name: a kernel name may use letters, digits, "\.", "_" and "-" only, found "no spaces"/);
    const noEnv = await run(process.execPath, [KERNEL_BIN, 'install', '--sys-prefix'], { env: { ...env, VIRTUAL_ENV: '', CONDA_PREFIX: '' } });
    assert.match(noEnv.stderr, /--sys-prefix: no active Python environment \(VIRTUAL_ENV or CONDA_PREFIX is unset\)/);
    const unknown = await run(process.execPath, [KERNEL_BIN, 'frobnicate'], { env });
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
  } finally {
    fs.rmSync(data, { recursive: true, force: true });
  }
});

test('kernel without a readable connection file says which file and field', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentence-tfjs-conn-'));
  try {
    const file = path.join(dir, 'kernel.json');
    fs.writeFileSync(file, JSON.stringify({ ip: '127.0.0.1', transport: 'tcp', shell_port: 0, key: 'k' }));
    const bad = await run(process.execPath, [KERNEL_BIN, 'kernel', '--connection-file', file]);
    assert.equal(bad.status, 1);
    assert.equal(bad.stderr, `sentence-tfjs-kernel: connection file ${file}: "shell_port" must be a port number 1-65535, found 0\n`);
    const missing = await run(process.execPath, [KERNEL_BIN, 'kernel']);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /kernel: --connection-file FILE is required/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
