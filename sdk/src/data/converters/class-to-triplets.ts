// single sentences + class → (anchor, positive, negative) triplets: for every row, a random other
// sentence of its class as positive and a random sentence of another class as negative (seeded).
// Rows alone in their class give no triplet. Opens TripletLoss / MNRL to classification data.
import { Dataset } from '../dataset';
import { readClassRows, type ClassRowsOptions } from './class-rows';
import type { Triplet } from './formats';
import type { DatasetInput } from './input';

export type ClassToTripletsOptions = ClassRowsOptions;

export function classToTriplets<R extends object>(data: DatasetInput<R>, options: ClassToTripletsOptions = {}): Dataset<Triplet> {
  const { texts, classes, rng, source } = readClassRows(data, options, 'classToTriplets');
  const out = { anchor: [] as string[], positive: [] as string[], negative: [] as string[] };
  texts.forEach((anchor, i) => {
    const p = classes.sameClass(i, rng);
    const n = classes.otherClass(i, rng);
    if (p !== undefined && n !== undefined) {
      out.anchor.push(anchor);
      out.positive.push(texts[p]);
      out.negative.push(texts[n]);
    }
  });
  return Dataset.fromColumns(out, { label: null, source });
}
