// (sentence1, sentence2) pairs + class → (anchor, positive, negative) triplets. Both sentences of a pair
// carry its class. anchor = sentence1; positive = sentence2 (positive: 'partner', default) or a random
// other sentence of the same class from either column ('sampled'); negative = a random sentence of
// another class from either column. Seeded; rows without a possible positive or negative are skipped.
import { Rng } from '../../util/random';
import { Dataset } from '../dataset';
import { ClassIndex } from './class-index';
import type { Triplet } from './formats';
import { asDataset, classesOf, pickLabelColumn, pickTextColumns, textsOf, type DatasetInput } from './input';

export interface PairClassToTripletsOptions {
  /** The two sentence columns (default: the first two text columns). */
  columns?: readonly [string, string];
  /** The class column (default: the label column). */
  label?: string;
  /** Where positives come from: the pair's own second sentence, or any other same-class sentence. */
  positive?: 'partner' | 'sampled';
  seed?: number;
}

export function pairClassToTriplets<R extends object>(data: DatasetInput<R>, options: PairClassToTripletsOptions = {}): Dataset<Triplet> {
  const name = 'pairClassToTriplets';
  const ds = asDataset(data, name);
  const [c1, c2] = pickTextColumns(ds, 2, name, options.columns);
  const first = textsOf(ds, c1, name);
  const second = textsOf(ds, c2, name);
  const rowClasses = classesOf(ds, pickLabelColumn(ds, name, options.label), name);
  // The pool: item 2i is row i's first sentence, 2i + 1 its second; both have row i's class.
  const pool = first.flatMap((s, i) => [s, second[i]]);
  const classes = new ClassIndex(rowClasses.flatMap((c) => [c, c]));
  const rng = new Rng(options.seed ?? 42);
  const mode = options.positive ?? 'partner';
  const out = { anchor: [] as string[], positive: [] as string[], negative: [] as string[] };
  first.forEach((anchor, i) => {
    const p = mode === 'partner' ? 2 * i + 1 : classes.sameClass(2 * i, rng);
    const n = classes.otherClass(2 * i, rng);
    if (p !== undefined && n !== undefined) {
      out.anchor.push(anchor);
      out.positive.push(pool[p]);
      out.negative.push(pool[n]);
    }
  });
  return Dataset.fromColumns(out, { label: null, source: ds.source });
}
