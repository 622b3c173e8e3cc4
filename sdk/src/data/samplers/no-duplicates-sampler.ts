// no_duplicates (sentence-transformers' NoDuplicatesBatchSampler): no text value appears twice in a
// batch, across all text columns, so in-batch-negative losses (MNRL, GIST, ...) never treat a copy of
// the positive as a negative. Rows are visited in a random order; a row that clashes with the batch
// being built waits for a later batch (its place in the order is kept). The label column is ignored.
import type { Dataset } from '../dataset';
import { BatchSampler, type BatchSamplerOptions } from './sampler';

export class NoDuplicatesSampler extends BatchSampler {
  readonly name = 'no_duplicates' as const;
  private readonly values: string[][];

  constructor(values: string[][], options: BatchSamplerOptions) {
    super(options);
    this.values = values;
  }

  batchesForEpoch(epoch: number): number[][] {
    const n = this.values.length;
    const order = this.epochRng(epoch).shuffle([...Array(n).keys()]);
    // A singly linked list over the order: taking a row out is O(1), skipped rows keep their place.
    const nextPos = Int32Array.from({ length: n }, (_, p) => (p + 1 < n ? p + 1 : -1));
    let head = n > 0 ? 0 : -1;
    const batches: number[][] = [];
    while (head !== -1) {
      const seen = new Set<string>();
      const batch: number[] = [];
      let pos = head;
      let prev = -1;
      let full = false;
      while (pos !== -1) {
        const next = nextPos[pos];
        const row = order[pos];
        const vals = this.values[row];
        if (vals.some((v) => seen.has(v))) {
          prev = pos;
          pos = next;
          continue;
        }
        batch.push(row);
        if (prev === -1) head = next;
        else nextPos[prev] = next;
        if (batch.length === this.batchSize) {
          full = true;
          break;
        }
        for (const v of vals) seen.add(v);
        pos = next;
      }
      // A short batch ends a pass over the remaining rows; the rows it skipped start the next one.
      if (full || !this.dropLast) batches.push(batch);
    }
    return batches;
  }
}

export function noDuplicatesSampler<R extends object>(dataset: Dataset<R>, options: BatchSamplerOptions): NoDuplicatesSampler {
  const columns = dataset.textColumns.map((c) => dataset.column(c) as unknown[]);
  const values = Array.from({ length: dataset.length }, (_, i) => columns.map((col) => String(col[i])));
  return new NoDuplicatesSampler(values, options);
}
