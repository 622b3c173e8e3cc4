import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../../../../sdk/src/data/load';
import { tempDir } from './temp-dir';

const tmp = tempDir('text');

test('a .txt file is one sentence per line in a `text` column, blank lines skipped', async () => {
  const file = tmp.write('wiki.txt', 'First sentence.\r\n\nSecond one.\n');
  const ds = await loadDataset(file);
  assert.deepEqual(ds.columnNames, ['text']);
  assert.deepEqual(ds.column('text'), ['First sentence.', 'Second one.']);
  assert.equal(ds.labelColumn, undefined);
});
