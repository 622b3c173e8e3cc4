// Distillation labels for MarginMSELoss: for (query, positive, negative_1..K) rows, the teacher's
// margins sim(q, p) − sim(q, n_k). One negative gives a number per row ([B] labels), K negatives a
// vector of K ([B, K]). The similarity defaults to pairwise_dot_score, MarginMSELoss's own default, so
// teacher and student margins are on the same scale.
import * as tf from '@tensorflow/tfjs';
import { getPairwiseSimilarity, type PairwiseSimilarityName } from '../../losses/similarity';
import type { SentenceTransformer } from '../../sentence-transformer';
import type { Dataset } from '../dataset';
import type { Row } from '../types';
import { asDataset, textsOf, type DatasetInput } from './input';

export interface TeacherMarginsOptions {
  similarityFct?: PairwiseSimilarityName;
  /** Encoding batch size (default 32). */
  batchSize?: number;
  /** The label column's name (default 'label'); it replaces any current label column. */
  labelName?: string;
}

export async function addTeacherMargins<R extends object>(
  data: DatasetInput<R>,
  teacher: SentenceTransformer,
  options: TeacherMarginsOptions = {},
): Promise<Dataset<Row>> {
  const name = 'addTeacherMargins';
  const ds = asDataset(data, name) as unknown as Dataset<Row>;
  const columns = ds.textColumns;
  if (columns.length < 3) {
    throw new Error(`${name} needs (query, positive, negative_1, ...) text columns; the dataset has ${columns.length} (${columns.join(', ') || 'none'})`);
  }
  const similarity = getPairwiseSimilarity(options.similarityFct ?? 'pairwise_dot_score', name);
  const texts = columns.map((c) => textsOf(ds, c, name));
  // Each distinct text is encoded once; columns are gathered from the shared embeddings.
  const unique = [...new Set(texts.flat())];
  const position = new Map(unique.map((t, i) => [t, i]));
  const embeddings = await teacher.encode(unique, { batchSize: options.batchSize ?? 32, convertTo: 'tensor' });
  const margins = tf.tidy(() => {
    const [q, p, ...negs] = texts.map((col) => tf.gather(embeddings, tf.tensor1d(col.map((t) => position.get(t) as number), 'int32')) as tf.Tensor2D);
    const positive = similarity(q, p);
    return tf.stack(negs.map((n) => tf.sub(positive, similarity(q, n))), 1) as tf.Tensor2D;
  });
  embeddings.dispose();
  const flat = (await margins.data()) as Float32Array;
  margins.dispose();
  const k = columns.length - 2;
  const labels = Array.from({ length: ds.length }, (_, i) => (k === 1 ? flat[i] : Array.from(flat.subarray(i * k, (i + 1) * k))));
  return ds.withLabel(options.labelName ?? 'label', labels) as unknown as Dataset<Row>;
}
