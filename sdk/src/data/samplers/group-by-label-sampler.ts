// group_by_label (sentence-transformers' GroupByLabelBatchSampler): every batch holds ≥ 2 labels with
// ≥ 2 rows each, which the batch-triplet losses need to find positives and negatives in a batch.
// Rows are shuffled within each label (each label trimmed to an even count); then, round after round,
// the labels still holding rows take turns (in a fresh random order) giving 2 rows each, until fewer
// than 2 labels remain. The stream is cut into batches of batchSize (even, ≥ 4); a tail of ≥ 4 rows is
// kept unless dropLast. Labels with a single row are never used.
import type { Dataset } from '../dataset';
import { describeCell } from '../types';
import { BatchSampler, type BatchSamplerOptions } from './sampler';

export class GroupByLabelSampler extends BatchSampler {
  readonly name = 'group_by_label' as const;
  private readonly groups: number[][];

  constructor(labels: readonly (string | number)[], options: BatchSamplerOptions) {
    super(options);
    if (this.batchSize < 4 || this.batchSize % 2 === 1) {
      throw new Error(`group_by_label needs an even batchSize ≥ 4 (2 rows of at least 2 labels); got ${this.batchSize}`);
    }
    const byLabel = new Map<string, number[]>();
    labels.forEach((l, i) => {
      const key = `${typeof l}:${l}`;
      const g = byLabel.get(key);
      if (g) g.push(i);
      else byLabel.set(key, [i]);
    });
    this.groups = [...byLabel.values()].filter((g) => g.length >= 2).map((g) => g.slice(0, g.length - (g.length % 2)));
    if (this.groups.length < 2) {
      throw new Error(`group_by_label needs at least 2 labels with ≥ 2 rows each; ${this.groups.length} label(s) qualify (of ${byLabel.size})`);
    }
  }

  batchesForEpoch(epoch: number): number[][] {
    const rng = this.epochRng(epoch);
    const queues = this.groups.map((g) => rng.shuffle(g));
    const heads = queues.map(() => 0);
    let remaining = queues.map((_, k) => k);
    const batches: number[][] = [];
    let batch: number[] = [];
    while (remaining.length >= 2) {
      remaining = rng.shuffle(remaining);
      for (const k of remaining) {
        batch.push(queues[k][heads[k]], queues[k][heads[k] + 1]);
        heads[k] += 2;
        if (batch.length >= this.batchSize) {
          batches.push(batch.slice(0, this.batchSize));
          batch = batch.slice(this.batchSize);
        }
      }
      remaining = remaining.filter((k) => heads[k] < queues[k].length);
    }
    // With pairs taken label by label, a tail of ≥ 4 rows holds ≥ 2 labels with ≥ 2 rows each.
    if (!this.dropLast && batch.length >= 4) batches.push(batch);
    return batches;
  }
}

export function groupByLabelSampler<R extends object>(dataset: Dataset<R>, options: BatchSamplerOptions & { label?: string }): GroupByLabelSampler {
  const label = options.label ?? dataset.labelColumn;
  if (label === undefined) throw new Error('group_by_label needs a label column; the dataset has none');
  const labels = (dataset.column(label as keyof R & string) as unknown[]).map((v, i) => {
    if (typeof v === 'string' || (typeof v === 'number' && !Number.isNaN(v))) return v;
    throw new Error(`group_by_label: label column '${label}' row ${i} must be a class (number or string); found ${describeCell(v)}`);
  });
  return new GroupByLabelSampler(labels, options);
}
