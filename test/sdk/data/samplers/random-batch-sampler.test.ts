import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { batchSampler } from '../../../../sdk/src/data/samplers/random-batch-sampler';

const ds = Dataset.fromColumns({ t: Array.from({ length: 10 }, (_, i) => `s${i}`) });

test('every row once per epoch, in batches of batchSize; the tail kept or dropped', () => {
  const s = batchSampler(ds, { batchSize: 4, seed: 1 });
  const batches = [...s];
  assert.deepEqual(batches.map((b) => b.length), [4, 4, 2]);
  assert.deepEqual(batches.flat().sort((a, b) => a - b), [...Array(10).keys()]);
  assert.equal(s.next(), undefined);
  const dropped = batchSampler(ds, { batchSize: 4, seed: 1, dropLast: true });
  assert.deepEqual([...dropped], batches.slice(0, 2));
  assert.equal(s.name, 'batch_sampler');
});

test('seeded per epoch: epochs differ, the same epoch replays; state resumes mid-epoch', () => {
  const s = batchSampler(ds, { batchSize: 3, seed: 5 });
  const e0 = s.batchesForEpoch(0);
  assert.deepEqual(batchSampler(ds, { batchSize: 3, seed: 5 }).batchesForEpoch(0), e0);
  assert.notDeepEqual(s.batchesForEpoch(1), e0);
  assert.notDeepEqual(batchSampler(ds, { batchSize: 3, seed: 6 }).batchesForEpoch(0), e0);
  s.setEpoch(1);
  assert.equal(s.numBatches, 4);
  const first = [s.next(), s.next()];
  const state = s.getState();
  assert.deepEqual(state, { epoch: 1, position: 2 });
  const resumed = batchSampler(ds, { batchSize: 3, seed: 5 });
  resumed.setState(JSON.parse(JSON.stringify(state)));
  assert.deepEqual([...first, ...resumed], s.batchesForEpoch(1));
  assert.throws(() => resumed.setState({ epoch: 0, position: 9 }), /setState: position must be an integer in 0..4 \(the batches of epoch 0\); got 9/);
  assert.throws(() => batchSampler(ds, { batchSize: 0 }), /batchSize must be a positive integer; got 0/);
  assert.throws(() => s.setEpoch(-1), /epoch must be a non-negative integer; got -1/);
});
