// single sentences → pairs for Contrastive Tension.
// layout 'in-batch' (default): (anchor, positive) with positive = anchor, for
//   ContrastiveTensionLossInBatchNegatives (or MNRL, which makes it SimCSE).
// layout 'classic': (sentence1, sentence2, label) as sentence-transformers' ContrastiveTensionDataLoader
//   lays them out: sentences shuffled (seeded), then in every posNegRatio rows one identical pair
//   (label 1) followed by posNegRatio − 1 pairs of two different consecutive sentences (label 0), for
//   ContrastiveTensionLoss. Keep the row order (batch size a multiple of posNegRatio, no shuffling)
//   to get exactly one positive per posNegRatio rows in each batch.
import { Rng } from '../../util/random';
import { Dataset } from '../dataset';
import type { AnchorPositive, PairWithLabel } from './formats';
import { asDataset, pickTextColumns, textsOf, type DatasetInput } from './input';

export interface ContrastiveTensionOptions {
  /** The sentence column (default: the first text column). */
  column?: string;
}

export interface ClassicContrastiveTensionOptions extends ContrastiveTensionOptions {
  layout: 'classic';
  /** One identical pair per this many rows (default 8, as the data loader). */
  posNegRatio?: number;
  /** Shuffle the sentences first (default true, as the data loader does every epoch). */
  shuffle?: boolean;
  seed?: number;
}

export function contrastiveTensionPairs<R extends object>(data: DatasetInput<R>, options?: ContrastiveTensionOptions & { layout?: 'in-batch' }): Dataset<AnchorPositive>;
export function contrastiveTensionPairs<R extends object>(data: DatasetInput<R>, options: ClassicContrastiveTensionOptions): Dataset<PairWithLabel>;
export function contrastiveTensionPairs<R extends object>(
  data: DatasetInput<R>,
  options: (ContrastiveTensionOptions & { layout?: 'in-batch' }) | ClassicContrastiveTensionOptions = {},
): Dataset<AnchorPositive> | Dataset<PairWithLabel> {
  const name = 'contrastiveTensionPairs';
  const ds = asDataset(data, name);
  const [column] = pickTextColumns(ds, 1, name, options.column === undefined ? undefined : [options.column]);
  const texts = textsOf(ds, column, name);
  if (options.layout !== 'classic') return Dataset.fromColumns({ anchor: texts, positive: texts.slice() }, { label: null, source: ds.source });

  const ratio = options.posNegRatio ?? 8;
  if (!Number.isInteger(ratio) || ratio < 1) throw new Error(`${name}: posNegRatio must be a positive integer; got ${ratio}`);
  const sentences = options.shuffle === false ? texts : new Rng(options.seed ?? 42).shuffle(texts);
  const out = { sentence1: [] as string[], sentence2: [] as string[], label: [] as number[] };
  // The data loader's walk: a positive uses one sentence, a negative two; it stops one sentence early.
  let i = 0;
  while (i + 1 < sentences.length) {
    const positive = out.label.length % ratio === 0;
    out.sentence1.push(sentences[i]);
    if (!positive) i++;
    out.sentence2.push(sentences[i]);
    out.label.push(positive ? 1 : 0);
    i++;
  }
  return Dataset.fromColumns(out, { label: 'label', source: ds.source });
}
