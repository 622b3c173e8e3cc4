import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { classToPairs } from '../../../../sdk/src/data/converters/class-to-pairs';

test('each row with its class partner; lone rows dropped; seeded', () => {
  const ds = Dataset.fromColumns({ text: ['a1', 'b1', 'a2', 'c1'], label: [0, 1, 0, 2] });
  assert.deepEqual(classToPairs(ds).toRecords(), [
    { anchor: 'a1', positive: 'a2' },
    { anchor: 'a2', positive: 'a1' },
  ]);
  const big = Dataset.fromColumns({ text: Array.from({ length: 40 }, (_, i) => `s${i}`), label: Array.from({ length: 40 }, (_, i) => i % 4) });
  const p = classToPairs(big, { seed: 9 });
  assert.deepEqual(classToPairs(big, { seed: 9 }).toRecords(), p.toRecords());
  for (const r of p) {
    assert.notEqual(r.anchor, r.positive);
    assert.equal(Number(r.anchor.slice(1)) % 4, Number(r.positive.slice(1)) % 4);
  }
});
