// Samplers by the names the trainer's arguments use (batch_sampler / no_duplicates / group_by_label;
// proportional / round_robin).
import type { Dataset } from '../dataset';
import { groupByLabelSampler } from './group-by-label-sampler';
import { proportionalSampler, roundRobinSampler, type MultiDatasetSampler } from './multi-dataset-sampler';
import { noDuplicatesSampler } from './no-duplicates-sampler';
import { batchSampler } from './random-batch-sampler';
import type { BatchSampler, BatchSamplerName, BatchSamplerOptions, MultiDatasetSamplerName } from './sampler';

export const BATCH_SAMPLER_NAMES: readonly BatchSamplerName[] = ['batch_sampler', 'no_duplicates', 'group_by_label'];
export const MULTI_DATASET_SAMPLER_NAMES: readonly MultiDatasetSamplerName[] = ['proportional', 'round_robin'];

export function createBatchSampler<R extends object>(name: BatchSamplerName, dataset: Dataset<R>, options: BatchSamplerOptions): BatchSampler {
  switch (name) {
    case 'batch_sampler':
      return batchSampler(dataset, options);
    case 'no_duplicates':
      return noDuplicatesSampler(dataset, options);
    case 'group_by_label':
      return groupByLabelSampler(dataset, options);
  }
  throw new Error(`unknown batch sampler '${String(name)}': use one of ${BATCH_SAMPLER_NAMES.join(', ')}`);
}

export function createMultiDatasetSampler(
  name: MultiDatasetSamplerName,
  samplers: Readonly<Record<string, BatchSampler>>,
  options: { seed?: number } = {},
): MultiDatasetSampler {
  switch (name) {
    case 'proportional':
      return proportionalSampler(samplers, options);
    case 'round_robin':
      return roundRobinSampler(samplers, options);
  }
  throw new Error(`unknown multi-dataset sampler '${String(name)}': use one of ${MULTI_DATASET_SAMPLER_NAMES.join(', ')}`);
}
