import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../../../../sdk/src/data/load';
import { tempDir } from './temp-dir';

const tmp = tempDir('json');

test('JSON: an array of records, an object of columns, records under a key', async () => {
  const records = tmp.write('r.json', JSON.stringify([{ text: 'a', label: 1 }, { text: 'b', label: 2 }]));
  const columns = tmp.write('c.json', JSON.stringify({ text: ['a', 'b'], label: [1, 2] }));
  const wrapped = tmp.write('w.json', JSON.stringify({ data: [{ text: 'a', label: 1 }, { text: 'b', label: 2 }] }));
  const nested = tmp.write('n.json', JSON.stringify({ version: 1, rows: [{ text: 'a', label: 1 }, { text: 'b', label: 2 }] }));
  const want = [{ text: 'a', label: 1 }, { text: 'b', label: 2 }];
  assert.deepEqual((await loadDataset(records)).toRecords(), want);
  assert.deepEqual((await loadDataset(columns)).toRecords(), want);
  assert.deepEqual((await loadDataset(wrapped)).toRecords(), want);
  assert.deepEqual((await loadDataset(nested, { field: 'rows' })).toRecords(), want);
});

test('JSON errors: syntax with line and column, wrong shapes named', async () => {
  const bad = tmp.write('bad.json', '[\n  {"text": "a"},\n  {"text": "b" "x"}\n]');
  await assert.rejects(loadDataset(bad), /bad\.json line 3, column 16: invalid JSON: expected ',' or '}' in an object; found '"'/);
  const ragged = tmp.write('ragged.json', JSON.stringify({ a: [1, 2], b: [1] }));
  await assert.rejects(loadDataset(ragged), /ragged\.json: column 'b' has 1 values but 'a' has 2/);
  const scalar = tmp.write('scalar.json', '42');
  await assert.rejects(loadDataset(scalar), /scalar\.json: expected an array of records, an object of equal-length column arrays/);
  const notRecord = tmp.write('nr.json', '[{"a": 1}, 7]');
  await assert.rejects(loadDataset(notRecord), /nr\.json: record 1 must be a JSON object of column values; found number/);
  const noKey = tmp.write('nk.json', '{"a": [1]}');
  await assert.rejects(loadDataset(noKey, { field: 'rows' }), /nk\.json: has no top-level key 'rows'/);
});
