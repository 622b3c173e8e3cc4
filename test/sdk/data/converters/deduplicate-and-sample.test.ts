import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { deduplicate } from '../../../../sdk/src/data/converters/deduplicate';
import { sample } from '../../../../sdk/src/data/converters/sample';

test('deduplicate keeps the first of equal rows, over all or chosen columns', () => {
  const ds = Dataset.fromColumns({ anchor: ['a', 'a', 'b', 'a'], positive: ['x', 'x', 'y', 'z'], label: [[1], [1], [2], [1]] });
  assert.deepEqual(deduplicate(ds).column('positive'), ['x', 'y', 'z']);
  assert.deepEqual(deduplicate(ds, { columns: ['anchor'] }).column('positive'), ['x', 'y']);
  const unique = Dataset.fromColumns({ t: ['a', 'b'] });
  assert.equal(deduplicate(unique), unique);
  assert.throws(() => deduplicate(ds, { columns: ['nope'] }), /has no column 'nope'/);
});

test('sample draws n distinct rows, seeded', () => {
  const ds = Dataset.fromColumns({ t: Array.from({ length: 20 }, (_, i) => `r${i}`) });
  const s = sample(ds, 5, 3);
  assert.equal(s.length, 5);
  assert.equal(new Set(s.column('t')).size, 5);
  assert.deepEqual(sample(ds, 5, 3).column('t'), s.column('t'));
  assert.notDeepEqual(sample(ds, 5, 4).column('t'), s.column('t'));
  assert.equal(sample(ds, 20).length, 20);
  assert.throws(() => sample(ds, 21), /sample: n must be an integer in 0..20 \(the dataset's rows\); got 21/);
});
