export { EpochSampler, BatchSampler } from './sampler';
export type { BatchSamplerName, MultiDatasetSamplerName, SamplerState, BatchSamplerOptions } from './sampler';
export { RandomBatchSampler, batchSampler } from './random-batch-sampler';
export { NoDuplicatesSampler, noDuplicatesSampler } from './no-duplicates-sampler';
export { GroupByLabelSampler, groupByLabelSampler } from './group-by-label-sampler';
export { MultiDatasetSampler, ProportionalSampler, RoundRobinSampler, proportionalSampler, roundRobinSampler } from './multi-dataset-sampler';
export type { DatasetBatch } from './multi-dataset-sampler';
export { createBatchSampler, createMultiDatasetSampler, BATCH_SAMPLER_NAMES, MULTI_DATASET_SAMPLER_NAMES } from './create';
