// Several datasets trained together, each with its own loss: every batch comes from one dataset and
// says which. Each dataset keeps its own batch sampler; the multi-dataset sampler only decides the order.
//   proportional (default in sentence-transformers): every batch of every dataset, in a random order,
//     so larger datasets come up more often and all rows are used.
//   round_robin: one batch of each dataset in turn, until one runs out (each dataset equally often).
import { EpochSampler, type BatchSampler, type MultiDatasetSamplerName } from './sampler';

export interface DatasetBatch {
  datasetName: string;
  /** Row indices into that dataset. */
  indices: number[];
}

export abstract class MultiDatasetSampler extends EpochSampler<DatasetBatch> {
  abstract readonly name: MultiDatasetSamplerName;
  protected readonly names: string[];
  protected readonly samplers: BatchSampler[];

  constructor(samplers: Readonly<Record<string, BatchSampler>>, options: { seed?: number } = {}) {
    super(options.seed ?? 0);
    this.names = Object.keys(samplers);
    if (this.names.length === 0) throw new Error('a multi-dataset sampler needs at least one dataset sampler');
    this.samplers = this.names.map((n) => samplers[n]);
  }

  get datasetNames(): string[] {
    return [...this.names];
  }
}

export class ProportionalSampler extends MultiDatasetSampler {
  readonly name = 'proportional' as const;

  batchesForEpoch(epoch: number): DatasetBatch[] {
    const plans = this.samplers.map((s) => s.batchesForEpoch(epoch));
    const turns = plans.flatMap((p, k) => p.map(() => k));
    const next = plans.map(() => 0);
    return this.epochRng(epoch)
      .shuffle(turns)
      .map((k) => ({ datasetName: this.names[k], indices: plans[k][next[k]++] }));
  }
}

export class RoundRobinSampler extends MultiDatasetSampler {
  readonly name = 'round_robin' as const;

  batchesForEpoch(epoch: number): DatasetBatch[] {
    const plans = this.samplers.map((s) => s.batchesForEpoch(epoch));
    const out: DatasetBatch[] = [];
    for (let b = 0; ; b++) {
      for (let k = 0; k < plans.length; k++) {
        if (b >= plans[k].length) return out;
        out.push({ datasetName: this.names[k], indices: plans[k][b] });
      }
    }
  }
}

export function proportionalSampler(samplers: Readonly<Record<string, BatchSampler>>, options: { seed?: number } = {}): ProportionalSampler {
  return new ProportionalSampler(samplers, options);
}

export function roundRobinSampler(samplers: Readonly<Record<string, BatchSampler>>, options: { seed?: number } = {}): RoundRobinSampler {
  return new RoundRobinSampler(samplers, options);
}
