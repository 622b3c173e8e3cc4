// n rows drawn without replacement (seeded), in draw order.
import { Rng } from '../../util/random';
import type { Dataset } from '../dataset';
import type { Row } from '../types';
import { asDataset, type DatasetInput } from './input';

export function sample<R extends object = Row>(data: DatasetInput<R>, n: number, seed = 42): Dataset<R> {
  const ds = asDataset(data, 'sample');
  if (!Number.isInteger(n) || n < 0 || n > ds.length) throw new Error(`sample: n must be an integer in 0..${ds.length} (the dataset's rows); got ${n}`);
  return ds.selectRows(new Rng(seed).sample(ds.length, n));
}
