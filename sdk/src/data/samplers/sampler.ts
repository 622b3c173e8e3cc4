// What the trainer iterates: batches of row indices, planned per epoch from (seed + epoch) so every
// epoch differs yet replays identically, and resumable from a checkpoint: the state is just the epoch
// and how many batches of it were already handed out.
import { Rng } from '../../util/random';

/** The trainer's `batch_sampler` argument values (sentence-transformers' BatchSamplers). */
export type BatchSamplerName = 'batch_sampler' | 'no_duplicates' | 'group_by_label';

/** The trainer's `multi_dataset_batch_sampler` values (sentence-transformers' MultiDatasetBatchSamplers). */
export type MultiDatasetSamplerName = 'proportional' | 'round_robin';

export interface SamplerState {
  epoch: number;
  /** Batches of this epoch already handed out. */
  position: number;
}

export interface BatchSamplerOptions {
  batchSize: number;
  /** Drop the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
  /** Default 0, as sentence-transformers. */
  seed?: number;
}

/** A sampler of batches of type T, planned one epoch at a time. */
export abstract class EpochSampler<T> implements Iterable<T> {
  private epochNumber = 0;
  private position = 0;
  private plan: T[] | undefined;

  constructor(readonly seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`sampler seed must be an integer; got ${seed}`);
  }

  /** Every batch of one epoch, in order (pure: the same epoch gives the same batches). */
  abstract batchesForEpoch(epoch: number): T[];

  /** The generator of an epoch: seeded with seed + epoch, as sentence-transformers' samplers do. */
  protected epochRng(epoch: number): Rng {
    return new Rng(this.seed + epoch);
  }

  get epoch(): number {
    return this.epochNumber;
  }

  /** Starts an epoch from its first batch. */
  setEpoch(epoch: number): void {
    if (!Number.isInteger(epoch) || epoch < 0) throw new Error(`setEpoch: epoch must be a non-negative integer; got ${epoch}`);
    this.epochNumber = epoch;
    this.position = 0;
    this.plan = undefined;
  }

  private current(): T[] {
    this.plan ??= this.batchesForEpoch(this.epochNumber);
    return this.plan;
  }

  /** Batches in the current epoch. */
  get numBatches(): number {
    return this.current().length;
  }

  /** The next batch of the current epoch, or undefined when the epoch is done. */
  next(): T | undefined {
    const plan = this.current();
    if (this.position >= plan.length) return undefined;
    return plan[this.position++];
  }

  /** The remaining batches of the current epoch (advancing the position). */
  *[Symbol.iterator](): Iterator<T> {
    for (let b = this.next(); b !== undefined; b = this.next()) yield b;
  }

  getState(): SamplerState {
    return { epoch: this.epochNumber, position: this.position };
  }

  /** Resumes where a checkpoint left off. */
  setState(state: SamplerState): void {
    this.setEpoch(state.epoch);
    if (!Number.isInteger(state.position) || state.position < 0 || state.position > this.numBatches) {
      throw new Error(`setState: position must be an integer in 0..${this.numBatches} (the batches of epoch ${state.epoch}); got ${state.position}`);
    }
    this.position = state.position;
  }
}

/** A sampler of row-index batches over one dataset. */
export abstract class BatchSampler extends EpochSampler<number[]> {
  abstract readonly name: BatchSamplerName;
  readonly batchSize: number;
  readonly dropLast: boolean;

  constructor(options: BatchSamplerOptions) {
    super(options.seed ?? 0);
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new Error(`batchSize must be a positive integer; got ${options.batchSize}`);
    }
    this.batchSize = options.batchSize;
    this.dropLast = options.dropLast ?? false;
  }
}

/** Consecutive chunks of batchSize; the short tail is kept unless dropLast. */
export function chunk(order: readonly number[], batchSize: number, dropLast: boolean): number[][] {
  const out: number[][] = [];
  for (let s = 0; s < order.length; s += batchSize) {
    const b = order.slice(s, s + batchSize);
    if (b.length < batchSize && dropLast) break;
    out.push(b);
  }
  return out;
}
