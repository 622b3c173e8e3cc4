import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { pairClassToTriplets } from '../../../../sdk/src/data/converters/pair-class-to-triplets';

test("positive 'partner': the pair's own second sentence; negative from another class", () => {
  const ds = Dataset.fromColumns({ question: ['a', 'x'], answer: ['b', 'x'], label: ['sports', 'music'] });
  const t = pairClassToTriplets(ds).toRecords();
  assert.deepEqual(t[0], { anchor: 'a', positive: 'b', negative: 'x' });
  assert.equal(t[1].anchor, 'x');
  assert.equal(t[1].positive, 'x');
  assert.ok(['a', 'b'].includes(t[1].negative));
});

test("positive 'sampled': any other same-class sentence of either column; seeded", () => {
  const ds = Dataset.fromColumns({ s1: ['a', 'c', 'y'], s2: ['b', 'd', 'y'], label: [0, 0, 1] });
  const t = pairClassToTriplets(ds, { positive: 'sampled', seed: 1 });
  assert.deepEqual(pairClassToTriplets(ds, { positive: 'sampled', seed: 1 }).toRecords(), t.toRecords());
  const rows = t.toRecords();
  assert.equal(rows.length, 3);
  assert.ok(['b', 'c', 'd'].includes(rows[0].positive));
  assert.equal(rows[0].negative, 'y');
  assert.ok(['a', 'b'].includes(rows[2].negative) || ['c', 'd'].includes(rows[2].negative));
  assert.equal(rows[2].positive, 'y');
  // one class only: no negatives anywhere
  assert.equal(pairClassToTriplets(Dataset.fromColumns({ s1: ['a'], s2: ['b'], label: [0] })).length, 0);
  assert.throws(() => pairClassToTriplets(ds, { columns: ['s1', 'zz'] }), /pairClassToTriplets: no column 'zz' \(columns: s1, s2, label\)/);
});
