import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { noDuplicatesSampler } from '../../../../sdk/src/data/samplers/no-duplicates-sampler';

test('no text value repeats inside a batch, across all text columns; every row is used once', () => {
  // Many anchors repeat, and some positives equal other rows' anchors.
  const anchors = Array.from({ length: 60 }, (_, i) => `q${i % 7}`);
  const positives = Array.from({ length: 60 }, (_, i) => (i % 11 === 0 ? `q${(i + 3) % 7}` : `p${i % 23}`));
  const ds = Dataset.fromColumns({ anchor: anchors, positive: positives, label: anchors.map(() => 1) });
  for (const seed of [0, 1, 2]) {
    const s = noDuplicatesSampler(ds, { batchSize: 5, seed });
    const batches = s.batchesForEpoch(0);
    for (const b of batches) {
      const values = b.flatMap((i) => [anchors[i], positives[i]]);
      const perRow = b.map((i) => new Set([anchors[i], positives[i]]));
      // a value may appear twice only within one row (anchor = positive), never across rows
      const seen = new Set<string>();
      for (const set of perRow) for (const v of set) {
        assert.ok(!seen.has(v), `batch ${JSON.stringify(b)} repeats ${v} (${values})`);
        seen.add(v);
      }
    }
    assert.deepEqual(batches.flat().sort((a, b) => a - b), [...Array(60).keys()]);
  }
});

test('the label column is ignored; dropLast drops short batches; seeded', () => {
  const ds = Dataset.fromColumns({ anchor: ['a', 'b', 'c', 'd', 'e'], label: [1, 1, 1, 1, 1] });
  const s = noDuplicatesSampler(ds, { batchSize: 2, seed: 3 });
  assert.deepEqual(s.batchesForEpoch(0).map((b) => b.length), [2, 2, 1]);
  assert.deepEqual(noDuplicatesSampler(ds, { batchSize: 2, seed: 3, dropLast: true }).batchesForEpoch(0).map((b) => b.length), [2, 2]);
  assert.deepEqual(noDuplicatesSampler(ds, { batchSize: 2, seed: 3 }).batchesForEpoch(4), s.batchesForEpoch(4));
  assert.equal(s.name, 'no_duplicates');
  // all rows identical: one row per batch
  const same = Dataset.fromColumns({ anchor: ['x', 'x', 'x'] });
  assert.deepEqual(noDuplicatesSampler(same, { batchSize: 2 }).batchesForEpoch(0).map((b) => b.length), [1, 1, 1]);
  assert.deepEqual(noDuplicatesSampler(Dataset.fromColumns({ anchor: [] as string[] }), { batchSize: 2 }).batchesForEpoch(0), []);
});
