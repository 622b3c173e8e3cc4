import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { batchSampler } from '../../../../sdk/src/data/samplers/random-batch-sampler';
import { createBatchSampler, createMultiDatasetSampler } from '../../../../sdk/src/data/samplers/create';
import { proportionalSampler, roundRobinSampler } from '../../../../sdk/src/data/samplers/multi-dataset-sampler';

const rows = (n: number) => Dataset.fromColumns({ t: Array.from({ length: n }, (_, i) => `s${i}`) });
const samplers = () => ({
  general: batchSampler(rows(40), { batchSize: 4, seed: 1 }), // 10 batches
  medical: batchSampler(rows(12), { batchSize: 4, seed: 2 }), // 3 batches
  legal: batchSampler(rows(8), { batchSize: 4, seed: 3 }), // 2 batches
});

test('proportional: every batch of every dataset once, in a seeded random order', () => {
  const s = proportionalSampler(samplers(), { seed: 7 });
  const batches = s.batchesForEpoch(0);
  const count = (name: string) => batches.filter((b) => b.datasetName === name).length;
  assert.deepEqual([count('general'), count('medical'), count('legal')], [10, 3, 2]);
  const own = samplers();
  assert.deepEqual(batches.filter((b) => b.datasetName === 'medical').map((b) => b.indices), own.medical.batchesForEpoch(0));
  assert.deepEqual(proportionalSampler(samplers(), { seed: 7 }).batchesForEpoch(0), batches);
  assert.notDeepEqual(proportionalSampler(samplers(), { seed: 8 }).batchesForEpoch(0).map((b) => b.datasetName), batches.map((b) => b.datasetName));
  assert.deepEqual(s.datasetNames, ['general', 'medical', 'legal']);
  assert.equal(s.name, 'proportional');
});

test('round_robin: one batch of each in turn until one runs out', () => {
  const s = roundRobinSampler(samplers());
  assert.deepEqual(s.batchesForEpoch(0).map((b) => b.datasetName), ['general', 'medical', 'legal', 'general', 'medical', 'legal', 'general', 'medical']);
  const first = s.next();
  assert.equal(first?.datasetName, 'general');
  assert.deepEqual(first?.indices, samplers().general.batchesForEpoch(0)[0]);
  s.setState({ epoch: 1, position: 7 });
  assert.equal([...s].length, 1);
});

test('created by the trainer-argument names; unknown names rejected', () => {
  const ds = Dataset.fromColumns({ t: ['a', 'b', 'c', 'd'], label: [0, 0, 1, 1] });
  assert.equal(createBatchSampler('batch_sampler', ds, { batchSize: 2 }).name, 'batch_sampler');
  assert.equal(createBatchSampler('no_duplicates', ds, { batchSize: 2 }).name, 'no_duplicates');
  assert.equal(createBatchSampler('group_by_label', ds, { batchSize: 4 }).name, 'group_by_label');
  assert.equal(createMultiDatasetSampler('round_robin', samplers()).name, 'round_robin');
  assert.equal(createMultiDatasetSampler('proportional', samplers()).name, 'proportional');
  assert.throws(() => createBatchSampler('random' as 'batch_sampler', ds, { batchSize: 2 }), /unknown batch sampler 'random': use one of batch_sampler, no_duplicates, group_by_label/);
  assert.throws(() => createMultiDatasetSampler('mixed' as 'proportional', samplers()), /unknown multi-dataset sampler 'mixed': use one of proportional, round_robin/);
  assert.throws(() => proportionalSampler({}), /needs at least one dataset sampler/);
});
