import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadDataset, loadDatasetDict } from '../../../../sdk/src/data/load';
import { tempDir } from './temp-dir';

const tmp = tempDir('folder');

function folder(name: string, files: Record<string, string>): string {
  const dir = join(tmp.dir, name);
  mkdirSync(dir);
  for (const [f, content] of Object.entries(files)) tmp.write(join(name, f), content);
  return dir;
}

const row = (t: string) => `{"text": "${t}", "label": 1}\n`;

test('a folder of train / dev / test files: dev is the validation split', async () => {
  const dir = folder('plain', { 'train.jsonl': row('a') + row('b'), 'dev.csv': 'text,label\nc,0\n', 'test.jsonl': row('d'), 'README.md': '#' });
  const splits = await loadDatasetDict(dir);
  assert.deepEqual(Object.keys(splits).sort(), ['test', 'train', 'validation']);
  assert.deepEqual(splits.train.column('text'), ['a', 'b']);
  assert.deepEqual(splits.validation.column('label'), [0]);
  const test1 = await loadDataset(dir, { split: 'test' });
  assert.deepEqual(test1.column('text'), ['d']);
  assert.deepEqual((await loadDataset(dir, { split: 'dev' })).column('text'), ['c']);
  await assert.rejects(loadDataset(dir), /plain: is a folder with splits train, validation, test: pass \{ split: 'train' \} or use loadDatasetDict/);
  await assert.rejects(loadDataset(dir, { split: 'extra' }), /plain: has no split 'extra' \(it has train, validation, test\)/);
});

test('subsets: prefixed files (pairs-train, triplets-train) need { subset } when several exist', async () => {
  const dir = folder('subsets', { 'pairs-train.jsonl': row('p'), 'triplets-train.jsonl': row('t'), 'triplets_test.jsonl': row('u') });
  await assert.rejects(loadDatasetDict(dir), /subsets: holds several subsets \('pairs', 'triplets'\): pass \{ subset \} to choose one/);
  const t = await loadDatasetDict(dir, { subset: 'triplets' });
  assert.deepEqual(Object.keys(t).sort(), ['test', 'train']);
  assert.deepEqual(t.test.column('text'), ['u']);
  assert.deepEqual((await loadDataset(dir, { subset: 'pairs', split: 'train' })).column('text'), ['p']);
  await assert.rejects(loadDatasetDict(dir, { subset: 'nope' }), /has no subset 'nope' \(it has 'pairs', 'triplets'\)/);
});

test('folder errors: no split files, two files for one split', async () => {
  const empty = folder('empty', { 'notes.txt.bak': 'x' });
  await assert.rejects(loadDatasetDict(empty), /empty: no split files found: expected files such as train\.jsonl/);
  const twice = folder('twice', { 'train.jsonl': row('a'), 'train.csv': 'text\nb\n' });
  await assert.rejects(loadDatasetDict(twice), /twice: has several files for split 'train': train\.csv, train\.jsonl/);
});
