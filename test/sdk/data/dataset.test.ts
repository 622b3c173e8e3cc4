import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { Dataset } from '../../../sdk/src/data/dataset';

const stsLike = () =>
  Dataset.fromRecords([
    { sentence1: 'a', sentence2: 'b', score: 0.5 },
    { sentence1: 'c', sentence2: 'd', score: 1 },
    { sentence1: 'e', sentence2: 'f', score: 0 },
  ]);

test('fromRecords: columns in key order, label detected by name, typed columns', () => {
  const ds = stsLike();
  assert.equal(ds.length, 3);
  assert.deepEqual(ds.shape, [3, 3]);
  assert.deepEqual(ds.columnNames, ['sentence1', 'sentence2', 'score']);
  assert.deepEqual(ds.textColumns, ['sentence1', 'sentence2']);
  assert.equal(ds.labelColumn, 'score');
  // Typed: column('score') is number[] for the compiler; the sum would not compile otherwise.
  const total: number = ds.column('score').reduce((a, b) => a + b, 0);
  assert.equal(total, 1.5);
  assert.deepEqual(ds.row(1), { sentence1: 'c', sentence2: 'd', score: 1 });
  assert.deepEqual(ds.toRecords().map((r) => r.sentence1), ['a', 'c', 'e']);
  assert.deepEqual([...ds].length, 3);
});

test('label detection: label, labels, score, scores in that order; explicit name; null for none', () => {
  assert.equal(Dataset.fromColumns({ t: ['x'], scores: [[1]], label: [1] }).labelColumn, 'label');
  assert.equal(Dataset.fromColumns({ t: ['x'], scores: [[1, 2]] }).labelColumn, 'scores');
  assert.equal(Dataset.fromColumns({ t: ['x'], labels: [2] }).labelColumn, 'labels');
  assert.equal(Dataset.fromColumns({ t: ['x'], y: [2] }, { label: 'y' }).labelColumn, 'y');
  const none = Dataset.fromColumns({ t: ['x'], label: [2] }, { label: null });
  assert.equal(none.labelColumn, undefined);
  assert.deepEqual(none.textColumns, ['t', 'label']);
  assert.throws(() => Dataset.fromColumns({ t: ['x'] }, { label: 'y' }), /label column 'y' not found; the columns are t/);
});

test('fromRecords fills missing keys with null; bad cells and lengths are named', () => {
  const ds = Dataset.fromRecords<{ a?: string; b?: number }>([{ a: 'x' }, { b: 2 }]);
  assert.deepEqual(ds.column('a'), ['x', null]);
  assert.deepEqual(ds.column('b'), [null, 2]);
  assert.throws(
    () => Dataset.fromRecords([{ a: 'x' }, { a: { nested: true } }] as unknown as { a: string }[]),
    /Dataset.fromRecords: column 'a' row 1: a cell must be a string, number, boolean, number array or null; found object/,
  );
  assert.throws(() => Dataset.fromRecords([{ a: ['x'] }] as unknown as { a: string }[]), /column 'a' row 0: arrays must hold numbers \(a label vector\); element 0 is string "x"/);
  assert.throws(() => Dataset.fromColumns({ a: ['x', 'y'], b: [1] }), /column 'b' has 1 rows but 'a' has 2/);
  assert.throws(() => Dataset.fromRecords([5] as unknown as { a: string }[]), /row 0 must be an object of column values; found number 5/);
});

test('texts / numbers / vectors check every cell and name the row', () => {
  const ds = Dataset.fromColumns({ t: ['x', 3], v: [[1, 2], 5] }, { label: null, source: 'f.jsonl' });
  assert.throws(() => ds.texts('t'), /Dataset from f.jsonl: column 't' row 1 is not text; found number 3/);
  assert.throws(() => ds.vectors('v'), /column 'v' row 1 is not a vector; found number 5/);
  assert.throws(() => ds.numbers('t'), /column 't' row 0 is not a number; found string "x"/);
  assert.throws(() => ds.column('nope' as 't'), /Dataset from f.jsonl has no column 'nope'; its columns are t, v/);
  assert.throws(() => ds.row(2), /row 2 is out of range \(0..1\)/);
});

test('select, removeColumns, rename keep the label role with its column', () => {
  const ds = stsLike();
  const s = ds.select(['score', 'sentence2']);
  assert.deepEqual(s.columnNames, ['score', 'sentence2']);
  assert.equal(s.labelColumn, 'score');
  assert.equal(ds.select(['sentence1']).labelColumn, undefined);
  assert.deepEqual(ds.removeColumns(['sentence2']).columnNames, ['sentence1', 'score']);
  const r = ds.rename({ sentence1: 'anchor', score: 'label' });
  assert.deepEqual(r.columnNames, ['anchor', 'sentence2', 'label']);
  assert.equal(r.labelColumn, 'label');
  const anchors: string[] = r.column('anchor');
  assert.deepEqual(anchors, ['a', 'c', 'e']);
  assert.throws(() => ds.rename({ sentence1: 'sentence2' }), /column 'sentence2' appears twice/);
  assert.throws(() => ds.select(['x' as 'score']), /has no column 'x'/);
});

test('map, filter, selectRows, head, slice, concat; the original never changes', () => {
  const ds = stsLike();
  const upper = ds.map((r) => ({ ...r, sentence1: r.sentence1.toUpperCase() }));
  assert.deepEqual(upper.column('sentence1'), ['A', 'C', 'E']);
  assert.equal(upper.labelColumn, 'score');
  assert.deepEqual(ds.column('sentence1'), ['a', 'c', 'e']);
  const high = ds.filter((r) => r.score > 0.4);
  assert.deepEqual(high.column('sentence1'), ['a', 'c']);
  assert.deepEqual(ds.selectRows([2, 0, 2]).column('sentence2'), ['f', 'b', 'f']);
  assert.deepEqual(ds.head(2).column('score'), [0.5, 1]);
  assert.equal(ds.head().length, 3);
  assert.deepEqual(ds.slice(-1).column('sentence1'), ['e']);
  const both = ds.concat(ds.head(1));
  assert.deepEqual(both.column('sentence1'), ['a', 'c', 'e', 'a']);
  assert.throws(() => ds.concat(ds.select(['sentence1', 'score']) as unknown as typeof ds), /Dataset.concat: dataset 1 has columns \(sentence1, score\) but dataset 0 has \(sentence1, sentence2, score\)/);
  assert.throws(() => ds.selectRows([3]), /row index 3 is out of range \(0..2\)/);
  // Cells handed out are copies: mutating them leaves the dataset intact.
  const v = Dataset.fromColumns({ t: ['x'], label: [[1, 2]] });
  v.column('label')[0].push(9);
  v.row(0).label.push(9);
  assert.deepEqual(v.column('label'), [[1, 2]]);
});

test('withColumn, withLabel, withLabelColumn', () => {
  const ds = stsLike();
  const extra = ds.withColumn('id', [1, 2, 3]);
  assert.deepEqual(extra.columnNames, ['sentence1', 'sentence2', 'score', 'id']);
  assert.deepEqual(extra.textColumns, ['sentence1', 'sentence2', 'id']);
  const replaced = ds.withColumn('sentence2', ['x', 'y', 'z']);
  assert.deepEqual(replaced.columnNames, ['sentence1', 'sentence2', 'score']);
  assert.deepEqual(replaced.column('sentence2'), ['x', 'y', 'z']);
  const teacher = ds.withLabel('label', [[1, 0], [0, 1], [1, 1]]);
  assert.deepEqual(teacher.columnNames, ['sentence1', 'sentence2', 'label']);
  assert.equal(teacher.labelColumn, 'label');
  assert.throws(() => ds.withColumn('id', [1]), /withColumn\('id'\): needs 3 values, one per row; got 1/);
  assert.deepEqual(ds.withLabelColumn(null).textColumns, ['sentence1', 'sentence2', 'score']);
});

test('shuffle and trainTestSplit are seeded; sizes round the test part up', () => {
  const ds = Dataset.fromColumns({ t: Array.from({ length: 10 }, (_, i) => `s${i}`), label: [0, 0, 0, 0, 0, 0, 1, 1, 1, 1] });
  const a = ds.shuffle(7).column('t');
  assert.deepEqual(ds.shuffle(7).column('t'), a);
  assert.notDeepEqual(ds.shuffle(8).column('t'), a);
  assert.deepEqual([...a].sort(), ds.column('t').sort());

  const { train, test: held } = ds.trainTestSplit({ testSize: 0.25, seed: 1 });
  assert.equal(held.length, 3);
  assert.equal(train.length, 7);
  assert.deepEqual([...train.column('t'), ...held.column('t')].sort(), ds.column('t').sort());
  assert.deepEqual(ds.trainTestSplit({ testSize: 0.25, seed: 1 }).test.column('t'), held.column('t'));

  const strat = ds.trainTestSplit({ testSize: 5, seed: 3, stratifyBy: 'label' });
  assert.deepEqual(strat.test.column('label').sort(), [0, 0, 0, 1, 1]);
  assert.deepEqual(strat.train.column('label').sort(), [0, 0, 0, 1, 1]);

  const ordered = ds.trainTestSplit({ testSize: 2, shuffle: false });
  assert.deepEqual(ordered.test.column('t'), ['s8', 's9']);
  assert.throws(() => ds.trainTestSplit({ testSize: 10 }), /testSize must be a fraction in \(0, 1\) or a row count in 1..9 leaving both parts non-empty; got 10 for 10 rows/);
  assert.throws(() => ds.trainTestSplit({ testSize: 0.2, stratifyBy: 'label', shuffle: false }), /stratifyBy needs shuffle: true/);
});

test('toBatch: text columns in order, labels as float32 [B] or [B, d]; errors name the row', async () => {
  await ready();
  const before = tf.memory().numTensors;
  const ds = stsLike();
  const batch = ds.toBatch([2, 0]);
  assert.deepEqual(batch.columns, [['e', 'a'], ['f', 'b']]);
  assert.deepEqual(batch.columnNames, ['sentence1', 'sentence2']);
  assert.equal(batch.labels?.dtype, 'float32');
  assert.deepEqual(batch.labels?.shape, [2]);
  assert.deepEqual(Array.from(batch.labels!.dataSync()), [0, 0.5]);
  batch.labels?.dispose();

  const emb = Dataset.fromColumns({ english: ['x', 'y'], label: [[1, 2, 3], [4, 5, 6]] });
  const b2 = emb.toBatch([1, 0]);
  assert.deepEqual(b2.labels?.shape, [2, 3]);
  assert.deepEqual(Array.from(b2.labels!.dataSync()), [4, 5, 6, 1, 2, 3]);
  b2.labels?.dispose();

  assert.equal(Dataset.fromColumns({ a: ['x'], b: ['y'] }).toBatch([0]).labels, undefined);
  const bad = Dataset.fromColumns({ t: ['x', null], label: [1, 'z'] }, { source: 'in.csv' });
  assert.throws(() => bad.toBatch([0, 1]), /toBatch: text column 't' row 1 of in.csv must be a string; found null/);
  const badLabel = Dataset.fromColumns({ t: ['x', 'y'], label: [1, 'z'] });
  assert.throws(() => badLabel.toBatch([0, 1]), /toBatch: label column 'label' row 1 must be a number; found string "z"/);
  const ragged = Dataset.fromColumns({ t: ['x', 'y'], label: [[1, 2], [3]] });
  assert.throws(() => ragged.toBatch([0, 1]), /label column 'label' row 1 must be a vector of length 2 like row 0; found array of length 1/);
  assert.throws(() => ds.toBatch([5]), /row index 5 is out of range for a dataset of 3 rows/);
  assert.equal(tf.memory().numTensors, before);
});

test('display: text/plain and text/html with shape, label and the first rows', () => {
  const ds = Dataset.fromColumns({
    anchor: Array.from({ length: 7 }, (_, i) => `<b>${i}</b>`),
    label: Array.from({ length: 7 }, (_, i) => [i, 0.123456, 2, 3]),
  });
  const display = ds as unknown as Record<symbol, () => Record<string, string>>;
  const bundle = display[Symbol.for('jupyter.mimebundle')]();
  assert.match(bundle['text/plain'], /^Dataset: 7 rows × 2 columns \(label: label\)\n/);
  assert.match(bundle['text/plain'], /<b>0<\/b> \| \[0, 0\.1235, 2, … \(4\)\]/);
  assert.match(bundle['text/plain'], /… 2 more rows$/);
  assert.match(bundle['text/html'], /<b>Dataset: 7 rows × 2 columns \(label: label\)<\/b>/);
  assert.match(bundle['text/html'], /<td style="text-align:left">&lt;b&gt;4&lt;\/b&gt;<\/td>/);
  assert.doesNotMatch(bundle['text/html'], /&lt;b&gt;5/);
  assert.equal(String(ds), bundle['text/plain']);
  assert.match(String(Dataset.fromColumns({ t: ['x'] })), /^Dataset: 1 row × 1 column \(no label\)/);
  assert.match(bundle['text/plain'], /\nanchor +\| label\n/);
  const scored = (Dataset.fromColumns({ t: ['x'], score: [0.5] }) as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for('jupyter.mimebundle')]();
  assert.match(scored['text/plain'], /\nt \| score \(label\)\n/);
  assert.match(scored['text/html'], /<th style="text-align:left">score <i>\(label\)<\/i><\/th>/);
});
