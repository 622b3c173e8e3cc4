// Distillation labels for MSELoss: the teacher's embedding of one column becomes every row's label
// ([B, d] targets), as in multilingual distillation (the teacher embeds `english`; the student learns
// to map both `english` and `non_english` to it).
import type { SentenceTransformer } from '../../sentence-transformer';
import type { Dataset } from '../dataset';
import type { Row } from '../types';
import { asDataset, pickTextColumns, textsOf, type DatasetInput } from './input';

export interface TeacherEmbeddingsOptions {
  /** Encoding batch size (default 32). */
  batchSize?: number;
  /** L2-normalise the teacher embeddings (default false: the raw embeddings, as the library's examples). */
  normalizeEmbeddings?: boolean;
  /** The label column's name (default 'label'); it replaces any current label column. */
  labelName?: string;
}

export async function addTeacherEmbeddings<R extends object>(
  data: DatasetInput<R>,
  teacher: SentenceTransformer,
  column?: string,
  options: TeacherEmbeddingsOptions = {},
): Promise<Dataset<Row>> {
  const name = 'addTeacherEmbeddings';
  const ds = asDataset(data, name) as unknown as Dataset<Row>;
  const [col] = pickTextColumns(ds, 1, name, column === undefined ? undefined : [column]);
  const texts = textsOf(ds, col, name);
  const embeddings = await teacher.encode(texts, { batchSize: options.batchSize ?? 32, normalizeEmbeddings: options.normalizeEmbeddings ?? false });
  return ds.withLabel(options.labelName ?? 'label', embeddings) as unknown as Dataset<Row>;
}
