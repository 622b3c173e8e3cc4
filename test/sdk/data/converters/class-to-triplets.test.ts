import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { classToTriplets } from '../../../../sdk/src/data/converters/class-to-triplets';

test('forced choices: a two-member class pairs its members; a lone class member gives no triplet', () => {
  const ds = Dataset.fromColumns({ text: ['a1', 'a2', 'b1'], label: [0, 0, 1] });
  assert.deepEqual(classToTriplets(ds).toRecords(), [
    { anchor: 'a1', positive: 'a2', negative: 'b1' },
    { anchor: 'a2', positive: 'a1', negative: 'b1' },
  ]);
});

test('string classes, a chosen column and label; seeded; invariants hold on a larger set', () => {
  const texts = Array.from({ length: 60 }, (_, i) => `t${i}`);
  const classes = texts.map((_, i) => ['x', 'y', 'z'][i % 3]);
  const ds = Dataset.fromColumns({ id: texts.map((_, i) => i), text: texts, topic: classes }, { label: null });
  const a = classToTriplets(ds, { column: 'text', label: 'topic', seed: 3 });
  assert.deepEqual(classToTriplets(ds, { column: 'text', label: 'topic', seed: 3 }).toRecords(), a.toRecords());
  assert.notDeepEqual(classToTriplets(ds, { column: 'text', label: 'topic', seed: 4 }).toRecords(), a.toRecords());
  const classOf = new Map(texts.map((t, i) => [t, classes[i]]));
  assert.equal(a.length, 60);
  for (const r of a) {
    assert.notEqual(r.anchor, r.positive);
    assert.equal(classOf.get(r.positive), classOf.get(r.anchor));
    assert.notEqual(classOf.get(r.negative), classOf.get(r.anchor));
  }
  assert.equal(a.labelColumn, undefined);
});

test('errors: no label column, non-class labels, no text column', () => {
  assert.throws(() => classToTriplets(Dataset.fromColumns({ text: ['a'] })), /classToTriplets needs a label column; the dataset has none \(columns: text\)/);
  assert.throws(() => classToTriplets(Dataset.fromColumns({ text: ['a'], label: [[1]] })), /classToTriplets: label column 'label' row 0 must be a class \(number or string\); found array of length 1/);
  assert.throws(() => classToTriplets(Dataset.fromColumns({ label: [1] })), /classToTriplets needs 1 text column; the dataset has 0 \(none\)/);
  assert.throws(() => classToTriplets(Dataset.fromColumns({ text: [3], label: [1] })), /classToTriplets: column 'text' row 0 must be text; found number 3/);
  assert.equal(classToTriplets(Dataset.fromColumns({ text: [] as string[], label: [] as number[] })).length, 0);
  assert.deepEqual(classToTriplets(Dataset.fromColumns({ text: [] as string[], label: [] as number[] })).columnNames, ['anchor', 'positive', 'negative']);
});
