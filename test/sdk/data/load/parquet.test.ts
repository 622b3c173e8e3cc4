import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parquetWriteBuffer, type ColumnSource } from 'hyparquet-writer';
import { loadDataset } from '../../../../sdk/src/data/load';
import { tempDir } from './temp-dir';

const tmp = tempDir('parquet');

function parquetWriteFile(options: { filename: string; columnData: ColumnSource[] }): void {
  writeFileSync(options.filename, new Uint8Array(parquetWriteBuffer({ columnData: options.columnData })));
}

test('Parquet: strings, int and double labels, 64-bit ints, nulls and list<double> columns', async () => {
  const file = join(tmp.dir, 'train.parquet');
  parquetWriteFile({
    filename: file,
    columnData: [
      { name: 'anchor', data: ['a', 'b', null] },
      { name: 'positive', data: ['x', 'y', 'z'] },
      { name: 'id', data: [1n, 2n, 3n], type: 'INT64' },
      { name: 'label', data: [[0.5, 1], [2, 3], [4, -5]] },
    ],
  });
  const ds = await loadDataset(file, { columns: ['anchor', 'positive', 'label'] });
  assert.deepEqual(ds.toRecords(), [
    { anchor: 'a', positive: 'x', label: [0.5, 1] },
    { anchor: 'b', positive: 'y', label: [2, 3] },
    { anchor: null, positive: 'z', label: [4, -5] },
  ]);
  const all = await loadDataset(file);
  assert.deepEqual(all.column('id'), [1, 2, 3]);

  const scored = join(tmp.dir, 'scored.parquet');
  parquetWriteFile({ filename: scored, columnData: [{ name: 'text', data: ['t'] }, { name: 'score', data: [0.25], type: 'DOUBLE' }] });
  const s = await loadDataset(scored);
  assert.equal(s.labelColumn, 'score');
  assert.deepEqual(s.column('score'), [0.25]);
});

test('Parquet errors name the file', async () => {
  const bad = tmp.write('bad.parquet', 'not parquet at all');
  await assert.rejects(loadDataset(bad), /bad\.parquet: not a readable Parquet file: /);
  const strings = join(tmp.dir, 'lists.parquet');
  parquetWriteFile({ filename: strings, columnData: [{ name: 'tags', data: [['a', 'b']] }] });
  await assert.rejects(loadDataset(strings), /lists\.parquet: column 'tags' row 0: arrays must hold numbers \(a label vector\); element 0 is string "a"/);
});
