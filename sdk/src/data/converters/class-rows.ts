// What the single-sentence + class converters share: the sentence column as texts, the class column
// indexed for same-class / other-class draws, and the seeded generator.
import { Rng } from '../../util/random';
import { ClassIndex } from './class-index';
import { asDataset, classesOf, pickLabelColumn, pickTextColumns, textsOf, type DatasetInput } from './input';

export interface ClassRowsOptions {
  /** The sentence column (default: the first text column). */
  column?: string;
  /** The class column (default: the label column). */
  label?: string;
  seed?: number;
}

export function readClassRows<R extends object>(data: DatasetInput<R>, options: ClassRowsOptions, converter: string) {
  const ds = asDataset(data, converter);
  const [column] = pickTextColumns(ds, 1, converter, options.column === undefined ? undefined : [options.column]);
  return {
    source: ds.source,
    texts: textsOf(ds, column, converter),
    classes: new ClassIndex(classesOf(ds, pickLabelColumn(ds, converter, options.label), converter)),
    rng: new Rng(options.seed ?? 42),
  };
}
