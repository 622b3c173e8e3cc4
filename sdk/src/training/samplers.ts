// The trainer's view of the data layer's samplers: one batch sampler per dataset (by the
// batchSampler argument), and the multi-dataset order (proportional / round_robin) over them. A
// single dataset uses the same path, so the loop has one shape.
import type { Batch } from '../losses/loss';
import { Dataset } from '../data/dataset';
import type { CellValue } from '../data/types';
import { createBatchSampler, createMultiDatasetSampler } from '../data/samplers/create';
import type { MultiDatasetSampler } from '../data/samplers/multi-dataset-sampler';
import type { BatchSampler } from '../data/samplers/sampler';
import type { BatchSamplerName, MultiDatasetBatchSamplerName } from './args';

/**
 * What the trainer needs of a dataset (any Dataset<R> fits): its size, columns for the samplers and a
 * collator. Structural, so datasets with different row types can train side by side.
 */
export interface TrainDataset {
  readonly length: number;
  readonly textColumns: readonly string[];
  readonly labelColumn: string | undefined;
  column(name: string): readonly CellValue[];
  toBatch(indices: readonly number[]): Batch;
}

export type { Batch };

export function createSamplers(
  name: BatchSamplerName,
  datasets: Map<string, TrainDataset>,
  options: { batchSize: number; dropLast: boolean; seed: number },
): Record<string, BatchSampler> {
  const out: Record<string, BatchSampler> = {};
  for (const [key, ds] of datasets) {
    if (!(ds instanceof Dataset)) throw new Error(`Trainer: trainDataset${key === '__single__' ? '' : ` '${key}'`} must be a Dataset (Dataset.fromDataFrame, loadDataset, ...)`);
    try {
      out[key] = createBatchSampler(name, ds, options);
    } catch (e) {
      throw new Error(`Trainer: batchSampler '${name}' on dataset${key === '__single__' ? '' : ` '${key}'`}: ${(e as Error).message}`);
    }
  }
  return out;
}

export function createSchedule(name: MultiDatasetBatchSamplerName, samplers: Record<string, BatchSampler>, seed: number): MultiDatasetSampler {
  return createMultiDatasetSampler(name, samplers, { seed });
}
