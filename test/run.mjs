// Runs every test file under test/ with node's test runner, TypeScript through tsx.
//   node test/run.mjs            all tests
//   node test/run.mjs --unit     skip the slow suites (kernel protocol, notebooks)
//   node test/run.mjs PATTERN    only files whose path contains PATTERN
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = join(fileURLToPath(new URL('.', import.meta.url)), '..');
const SLOW = ['test/kernel/', 'test/notebooks/'];
const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const patterns = args.filter((a) => !a.startsWith('--'));

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'reference') return [];
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.test.ts') ? [p] : [];
  });
}

const files = walk(join(root, 'test'))
  .map((p) => relative(root, p))
  .filter((p) => !unitOnly || !SLOW.some((s) => p.startsWith(s)))
  .filter((p) => patterns.length === 0 || patterns.some((pat) => p.includes(pat)))
  .sort();

if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, SENTENCE_TFJS_QUIET: process.env.SENTENCE_TFJS_QUIET ?? '1' } },
);
process.exit(result.status ?? 1);
