import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset, DataFileError } from '../../../../sdk/src/data/load';
import { tempDir } from './temp-dir';

const tmp = tempDir('jsonl');

test('JSON Lines: one object per line, blank lines skipped, missing keys become null, booleans label 1/0', async () => {
  const file = tmp.write('d.jsonl', '{"query": "q1", "passage": "p1", "label": true}\n\n{"query": "q2", "label": false}\r\n');
  const ds = await loadDataset(file);
  assert.deepEqual(ds.toRecords(), [
    { query: 'q1', passage: 'p1', label: 1 },
    { query: 'q2', passage: null, label: 0 },
  ]);
});

test('JSON Lines errors give line and column of the bad JSON', async () => {
  const cases: [string, RegExp][] = [
    ['{"a": "x"}\n{"a": }\n', /e1\.jsonl line 2, column 7: invalid JSON: unexpected '}' where a value was expected/],
    ['{"a": "x",}\n', /e2\.jsonl line 1, column 11: invalid JSON: expected a double-quoted property name; found '}'/],
    ['{"a": "unterminated}\n', /e3\.jsonl line 1, column 21: invalid JSON: unterminated string/],
    ['{"a": 1}\n[1, 2]\n', /e4\.jsonl line 2: a line must be a JSON object of column values; found an array/],
    ['{"a": {"b": 1}}\n', /e5\.jsonl line 1: column 'a' row 0: a cell must be a string, number, boolean, number array or null; found object/],
    ['{"a": 1} x\n', /e6\.jsonl line 1, column 10: invalid JSON: unexpected 'x' after the end of the JSON value/],
  ];
  for (const [k, [content, message]] of cases.entries()) {
    const file = tmp.write(`e${k + 1}.jsonl`, content);
    await assert.rejects(loadDataset(file), (e: unknown) => e instanceof DataFileError && message.test(e.message));
  }
});

test('a missing file, an unknown extension and a bad columns option are clear errors', async () => {
  await assert.rejects(loadDataset(tmp.dir + '/none.jsonl'), /none\.jsonl: no such file/);
  const odd = tmp.write('d.xyz', 'a');
  await assert.rejects(loadDataset(odd), /d\.xyz: unknown format \(extension\): use one of csv, tsv, jsonl, json, parquet, text via \{ format \}/);
  const file = tmp.write('c.jsonl', '{"a": "x", "b": "y"}\n');
  await assert.rejects(loadDataset(file, { columns: ['a', 'z'] }), /c\.jsonl: has no column 'z' \(its columns are a, b\)/);
  await assert.rejects(loadDataset(file, { label: 'z' }), /c\.jsonl: has no label column 'z'/);
  const picked = await loadDataset(file, { columns: ['b', 'a'], format: 'jsonl' });
  assert.deepEqual(picked.columnNames, ['b', 'a']);
});
