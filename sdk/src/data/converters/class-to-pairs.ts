// single sentences + class → (anchor, positive) pairs: every row with a random other sentence of its
// class (seeded). Rows alone in their class give no pair. For MNRL, where the other rows of a batch
// are the negatives (use the no_duplicates sampler; same-class rows in a batch are false negatives).
import { Dataset } from '../dataset';
import { readClassRows, type ClassRowsOptions } from './class-rows';
import type { AnchorPositive } from './formats';
import type { DatasetInput } from './input';

export type ClassToPairsOptions = ClassRowsOptions;

export function classToPairs<R extends object>(data: DatasetInput<R>, options: ClassToPairsOptions = {}): Dataset<AnchorPositive> {
  const { texts, classes, rng, source } = readClassRows(data, options, 'classToPairs');
  const out = { anchor: [] as string[], positive: [] as string[] };
  texts.forEach((anchor, i) => {
    const p = classes.sameClass(i, rng);
    if (p !== undefined) {
      out.anchor.push(anchor);
      out.positive.push(texts[p]);
    }
  });
  return Dataset.fromColumns(out, { label: null, source });
}
