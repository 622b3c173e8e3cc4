// batch_sampler (the default): rows in a random order each epoch, cut into batches.
import type { Dataset } from '../dataset';
import { BatchSampler, chunk, type BatchSamplerOptions } from './sampler';

export class RandomBatchSampler extends BatchSampler {
  readonly name = 'batch_sampler' as const;

  constructor(
    private readonly rows: number,
    options: BatchSamplerOptions,
  ) {
    super(options);
  }

  batchesForEpoch(epoch: number): number[][] {
    const order = this.epochRng(epoch).shuffle([...Array(this.rows).keys()]);
    return chunk(order, this.batchSize, this.dropLast);
  }
}

export function batchSampler<R extends object>(dataset: Dataset<R>, options: BatchSamplerOptions): RandomBatchSampler {
  return new RandomBatchSampler(dataset.length, options);
}
