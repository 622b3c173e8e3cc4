import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(__dirname, '..', '..', '..');

/** Imports the SDK in a fresh process (the backend is chosen once per process) and prints backendInfo. */
function probe(env: Record<string, string | undefined>): { status: number | null; stdout: string; stderr: string } {
  const code = `
    const sdk = require('./sdk/src/index.ts');
    sdk.ready().then((i) => { console.log(JSON.stringify(i)); }, (e) => { console.log('ERROR ' + e.message); process.exit(3); });
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], {
    cwd: root,
    env: { ...process.env, SENTENCE_TFJS_QUIET: '0', ...env },
    encoding: 'utf8',
  });
  return { status: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

test('auto selection passes over an aliased tfjs-node and picks wasm, and says so', () => {
  const r = probe({ SENTENCE_TFJS_BACKEND: undefined });
  assert.equal(r.status, 0, r.stderr);
  const info = JSON.parse(r.stdout);
  assert.equal(info.name, 'wasm');
  assert.equal(info.chosenBy, 'auto');
  assert.equal(info.skipped[0].name, 'tensorflow');
  assert.match(info.skipped[0].reason, /tfjs-node/);
  assert.equal(info.features.simd, true);
  assert.match(r.stderr, /using the 'wasm' tfjs backend \(auto\)/);
});

test('SENTENCE_TFJS_BACKEND=cpu forces the cpu backend', () => {
  const r = probe({ SENTENCE_TFJS_BACKEND: 'cpu' });
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { name: 'cpu', chosenBy: 'env', skipped: [], features: {} });
});

test('a forced backend that cannot load is an error, not a fallback', () => {
  const r = probe({ SENTENCE_TFJS_BACKEND: 'tensorflow' });
  assert.equal(r.status, 3);
  assert.match(r.stdout, /ERROR SENTENCE_TFJS_BACKEND=tensorflow was requested but the backend cannot load/);
});

test('an unknown backend name is rejected with the valid choices', () => {
  const r = probe({ SENTENCE_TFJS_BACKEND: 'webgpu' });
  assert.equal(r.status, 3);
  assert.match(r.stdout, /SENTENCE_TFJS_BACKEND=webgpu is not a backend: use one of tensorflow, wasm, cpu/);
});

test('loading wasm leaves no process-wide exception handlers behind (they would kill a kernel)', () => {
  const code = `
    const sdk = require('./sdk/src/index.ts');
    sdk.ready().then(() => console.log(JSON.stringify([process.listeners('unhandledRejection').length, process.listeners('uncaughtException').length])));
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', code], { cwd: root, env: { ...process.env, SENTENCE_TFJS_BACKEND: 'wasm' }, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), '[0,0]');
  assert.doesNotMatch(r.stderr, /looks like you are running TensorFlow.js in Node/);
});
