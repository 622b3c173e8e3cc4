// What the embedding evaluators share: encode the distinct texts of their columns once (as
// sentence-transformers does with a set), score pairs with the model-independent similarity functions in
// tf, and read all scores back in one transfer.
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer, SimilarityFnName } from '../sentence-transformer';
import { SIMILARITY_FN_NAMES } from '../sentence-transformer';
import { pairwiseCosSim, pairwiseDotScore, pairwiseEuclideanSim, pairwiseManhattanSim } from '../losses/similarity';
import { encodeToTensor, type EncodeSettings } from '../util/embeddings-input';

export type { EncodeSettings };

/** Pairwise similarity by the model's similarity names: higher = more similar (distances negated). */
export const PAIRWISE_SIMILARITY: Record<SimilarityFnName, (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor1D> = {
  cosine: pairwiseCosSim,
  dot: pairwiseDotScore,
  euclidean: pairwiseEuclideanSim,
  manhattan: pairwiseManhattanSim,
};

export function checkSimilarityNames(evaluator: string, names: readonly string[] | undefined): SimilarityFnName[] | undefined {
  if (names === undefined) return undefined;
  if (!Array.isArray(names) || names.length === 0) throw new Error(`${evaluator}: similarityFnNames must be a non-empty array; got ${JSON.stringify(names)}`);
  for (const n of names) {
    if (!SIMILARITY_FN_NAMES.includes(n as SimilarityFnName)) {
      throw new Error(`${evaluator}: similarity function '${n}' is not one of ${SIMILARITY_FN_NAMES.join(', ')}`);
    }
  }
  return [...names] as SimilarityFnName[];
}

/** One [rows, dim] tensor per column; each distinct text is encoded once. The caller disposes them. */
export async function encodeColumns(
  model: Pick<SentenceTransformer, 'encode'>,
  columns: readonly (readonly string[])[],
  settings: EncodeSettings,
): Promise<tf.Tensor2D[]> {
  const unique = [...new Set(columns.flat())];
  const position = new Map(unique.map((t, i) => [t, i]));
  const embeddings = await encodeToTensor(model, unique, settings);
  try {
    return tf.tidy(() =>
      columns.map((col) => tf.gather(embeddings, tf.tensor1d(col.map((t) => position.get(t)!), 'int32')) as tf.Tensor2D),
    );
  } finally {
    embeddings.dispose();
  }
}

/** Reads several same-length 1-D results back in one transfer (stacked), then disposes them. */
export async function readVectors(vectors: tf.Tensor1D[]): Promise<Float32Array[]> {
  if (vectors.length === 0) return [];
  const n = vectors[0].shape[0];
  const stacked = tf.stack(vectors);
  vectors.forEach((v) => v.dispose());
  try {
    const flat = (await stacked.data()) as Float32Array;
    return vectors.map((_, i) => flat.slice(i * n, (i + 1) * n));
  } finally {
    stacked.dispose();
  }
}

/** The named pairwise similarities of a[i] and b[i], one Float32Array per name. */
export async function pairwiseScores(a: tf.Tensor2D, b: tf.Tensor2D, names: readonly SimilarityFnName[]): Promise<Float32Array[]> {
  return readVectors(names.map((n) => PAIRWISE_SIMILARITY[n](a, b)));
}

/** Similarity of (sentences1[i], sentences2[i]) under each named function: one Float32Array per name. */
export async function pairSimilarities(
  model: Pick<SentenceTransformer, 'encode'>,
  sentences1: readonly string[],
  sentences2: readonly string[],
  names: readonly SimilarityFnName[],
  settings: EncodeSettings,
): Promise<Float32Array[]> {
  const [e1, e2] = await encodeColumns(model, [sentences1, sentences2], settings);
  return pairwiseScores(e1, e2, names).finally(() => tf.dispose([e1, e2]));
}
