import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../../../../sdk/src/data/load';
import { parseDelimited } from '../../../../sdk/src/data/load/csv';
import { tempDir } from './temp-dir';

const tmp = tempDir('csv');

test('CSV: header, quoted fields with commas, doubled quotes and line breaks; labels become numbers', async () => {
  const file = tmp.write(
    'sts.csv',
    '\ufeffsentence1,sentence2,score\r\n"A man, a plan","He said ""hi""",0.5\r\nplain,"two\nlines",1\r\n\r\nx,y,\n',
  );
  const ds = await loadDataset(file);
  assert.deepEqual(ds.columnNames, ['sentence1', 'sentence2', 'score']);
  assert.equal(ds.labelColumn, 'score');
  assert.deepEqual(ds.toRecords(), [
    { sentence1: 'A man, a plan', sentence2: 'He said "hi"', score: 0.5 },
    { sentence1: 'plain', sentence2: 'two\nlines', score: 1 },
    { sentence1: 'x', sentence2: 'y', score: null },
  ]);
  assert.equal(ds.source, file);
});

test('TSV: tab separated; text cells that look like numbers stay text; vector labels parse', async () => {
  const file = tmp.write('d.tsv', 'text\tlabel\n42\t[0.5, -1]\ntrue\t[2, 3]\n');
  const ds = await loadDataset(file);
  assert.deepEqual(ds.column('text'), ['42', 'true']);
  assert.deepEqual(ds.column('label'), [[0.5, -1], [2, 3]]);
});

test('TSV with plain quotes: { quote: null }', async () => {
  const file = tmp.write('q.tsv', 'a\tb\n"quoted start\tx\n');
  await assert.rejects(loadDataset(file), /q\.tsv line 2, column 1: unterminated quoted field \(no closing "\); if quotes are plain text in this file, load it with \{ quote: null \}/);
  const ds = await loadDataset(file, { quote: null, label: null });
  assert.deepEqual(ds.toRecords(), [{ a: '"quoted start', b: 'x' }]);
});

test('label cells from text: numbers, booleans, NaN; unparseable text is kept for validation to report', async () => {
  const { columns } = parseDelimited('t,label\na,true\n', 'x.csv', { delimiter: ',' });
  assert.deepEqual(columns[1], ['true']);
  const file = tmp.write('labels.csv', 't,label\na,true\nb,False\nc,nan\nd,high\ne, 2.5e1 \nf,[1\n');
  const ds = await loadDataset(file);
  assert.deepEqual(ds.column('label'), [1, 0, NaN, 'high', 25, '[1']);
  assert.deepEqual(ds.column('t'), ['a', 'b', 'c', 'd', 'e', 'f']);
});

test('CSV errors name the file, line and column', async () => {
  const cases: [string, RegExp][] = [
    ['a,b\n1,2,3\n', /bad1\.csv line 2: expected 2 fields as in the header \(a, b\); found 3/],
    ['a,b\n"x"y,2\n', /bad2\.csv line 2, column 4: unexpected 'y' after a closing quote \(expected ',' or the end of the line\)/],
    ['a,b\n1,2\n3,"open\n', /bad3\.csv line 3, column 3: unterminated quoted field/],
    ['a,a\n1,2\n', /bad4\.csv line 1: header names column 'a' twice \(fields 1 and 2\)/],
    ['a,,c\n1,2,3\n', /bad5\.csv line 1: header field 2 is empty: every column needs a name/],
    ['\n\n', /bad6\.csv: the file is empty \(expected a header line\)/],
  ];
  for (const [k, [content, message]] of cases.entries()) {
    const file = tmp.write(`bad${k + 1}.csv`, content);
    await assert.rejects(loadDataset(file), message);
  }
});
