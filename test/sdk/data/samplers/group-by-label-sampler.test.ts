import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { groupByLabelSampler } from '../../../../sdk/src/data/samplers/group-by-label-sampler';

const labels = [...Array(9).fill(0), ...Array(6).fill(1), ...Array(4).fill(2), 3, ...Array(3).fill('x')];
const ds = Dataset.fromColumns({ text: labels.map((_, i) => `t${i}`), label: labels });

test('every batch holds ≥ 2 labels, each ≥ 2 times; lone labels never used', () => {
  for (const seed of [0, 1, 2, 3]) {
    const s = groupByLabelSampler(ds, { batchSize: 6, seed });
    const batches = s.batchesForEpoch(0);
    assert.ok(batches.length > 0);
    for (const b of batches) {
      const counts = new Map<unknown, number>();
      for (const i of b) counts.set(labels[i], (counts.get(labels[i]) ?? 0) + 1);
      assert.ok(counts.size >= 2, `batch ${b} has one label`);
      for (const [l, c] of counts) assert.ok(c >= 2, `label ${String(l)} appears ${c} time(s) in ${b}`);
      assert.ok(!b.includes(19), 'label 3 has one row');
      assert.ok(b.length === 6 || b.length >= 4);
    }
    const used = batches.flat();
    assert.equal(new Set(used).size, used.length);
  }
});

test('the stream stops when fewer than 2 labels remain; tail kept unless dropLast; seeded per epoch', () => {
  // pairs per label (trimmed to even): 0 → 4 pairs, 1 → 3, 2 → 2, 'x' → 1; capped at the second largest (3): 3+3+2+1 = 9 pairs = 18 rows
  const s = groupByLabelSampler(ds, { batchSize: 8, seed: 1 });
  assert.deepEqual(s.batchesForEpoch(0).map((b) => b.length), [8, 8]);
  const four = groupByLabelSampler(ds, { batchSize: 4, seed: 1 });
  assert.deepEqual(four.batchesForEpoch(0).map((b) => b.length), [4, 4, 4, 4]);
  const tail = groupByLabelSampler(ds, { batchSize: 14, seed: 1 });
  assert.deepEqual(tail.batchesForEpoch(0).map((b) => b.length), [14, 4]);
  assert.deepEqual(groupByLabelSampler(ds, { batchSize: 14, seed: 1, dropLast: true }).batchesForEpoch(0).map((b) => b.length), [14]);
  assert.deepEqual(groupByLabelSampler(ds, { batchSize: 8, seed: 1 }).batchesForEpoch(2), s.batchesForEpoch(2));
  assert.notDeepEqual(s.batchesForEpoch(1), s.batchesForEpoch(0));
  assert.equal(s.name, 'group_by_label');
});

test('errors: odd or small batch size, fewer than 2 usable labels, no label column', () => {
  assert.throws(() => groupByLabelSampler(ds, { batchSize: 5 }), /group_by_label needs an even batchSize ≥ 4 \(2 rows of at least 2 labels\); got 5/);
  assert.throws(() => groupByLabelSampler(ds, { batchSize: 2 }), /got 2/);
  const one = Dataset.fromColumns({ text: ['a', 'b', 'c'], label: [0, 0, 1] });
  assert.throws(() => groupByLabelSampler(one, { batchSize: 4 }), /group_by_label needs at least 2 labels with ≥ 2 rows each; 1 label\(s\) qualify \(of 2\)/);
  assert.throws(() => groupByLabelSampler(Dataset.fromColumns({ text: ['a'] }), { batchSize: 4 }), /group_by_label needs a label column; the dataset has none/);
  assert.throws(() => groupByLabelSampler(Dataset.fromColumns({ text: ['a'], label: [[1]] }), { batchSize: 4 }), /label column 'label' row 0 must be a class \(number or string\); found array of length 1/);
});
