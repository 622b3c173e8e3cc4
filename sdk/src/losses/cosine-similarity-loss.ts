// CosineSimilarityLoss: regresses the cosine similarity of each pair onto its gold score:
//   loss = lossFct(transform(cos(u_i, v_i)), label_i)     default: mean_i (cos(u_i, v_i) − label_i)²
// cos is torch's cosine_similarity (eps 1e-8: a zero embedding scores 0, finite gradient).
//
// Arguments (defaults = sentence-transformers v6): lossFct 'mse' (nn.MSELoss; 'l1' = nn.L1Loss, mean |·|),
// cosScoreTransformation 'identity' (nn.Identity) or a function of the [B] cosines.
//
// | texts                    | labels                                  |
// | (sentence_A, sentence_B) | float similarity score (usually 0 ... 1) |
//
// Sampler: default. Related: CoSENTLoss and AnglELoss (rank the pairs instead; usually train better).
// Paper: Reimers & Gurevych 2019, Sentence-BERT, https://arxiv.org/abs/1908.10084
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { FunctionalCoreLoss } from './functional-core-loss';
import { pairwiseTorchCosineSimilarity } from './similarity';
import { checkColumns, checkLabelVector, type ColumnExpectation } from './validate';

export type CosineSimilarityLossFct = 'mse' | 'l1';
export type CosScoreTransformation = 'identity' | ((cosines: tf.Tensor1D) => tf.Tensor1D);

export interface CosineSimilarityLossOptions {
  /** 'mse' (default, nn.MSELoss) or 'l1' (nn.L1Loss); both averaged over the batch. */
  lossFct?: CosineSimilarityLossFct;
  /** Applied to the cosines before the comparison. Default 'identity'. */
  cosScoreTransformation?: CosScoreTransformation;
}

const NAME = 'CosineSimilarityLoss';
const COLUMNS: ColumnExpectation = { min: 2, max: 2, format: '(sentence_A, sentence_B) pairs' };
const LABELS = 'one float similarity score per row';

function resolveOptions(options: CosineSimilarityLossOptions): Required<CosineSimilarityLossOptions> {
  const resolved = { lossFct: options.lossFct ?? 'mse', cosScoreTransformation: options.cosScoreTransformation ?? 'identity' };
  if (resolved.lossFct !== 'mse' && resolved.lossFct !== 'l1') throw new Error(`${NAME}: lossFct must be 'mse' or 'l1'; got '${String(resolved.lossFct)}'`);
  const t = resolved.cosScoreTransformation;
  if (t !== 'identity' && typeof t !== 'function') throw new Error(`${NAME}: cosScoreTransformation must be 'identity' or a function of the cosines; got '${String(t)}'`);
  return resolved;
}

/** CosineSimilarityLoss on embeddings [sentence_A, sentence_B] (each [B, d]) and float labels [B]. */
export function cosineSimilarityLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: CosineSimilarityLossOptions = {}): tf.Scalar {
  const { lossFct, cosScoreTransformation } = resolveOptions(options);
  checkColumns(NAME, embeddings, COLUMNS);
  const y = checkLabelVector(NAME, labels, embeddings[0].shape[0], LABELS);
  return tf.tidy(() => {
    const cosines = pairwiseTorchCosineSimilarity(embeddings[0], embeddings[1]);
    const scores = cosScoreTransformation === 'identity' ? cosines : cosScoreTransformation(cosines);
    const residuals = tf.sub(scores, tf.cast(tf.reshape(y, [-1]), 'float32'));
    return tf.mean(lossFct === 'mse' ? tf.square(residuals) : tf.abs(residuals)) as tf.Scalar;
  });
}

export class CosineSimilarityLoss extends FunctionalCoreLoss<Required<CosineSimilarityLossOptions>> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: CosineSimilarityLossOptions = {}) {
    super(model, resolveOptions(options), COLUMNS, cosineSimilarityLoss);
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'standard',
  formats: [{ texts: 'pair', labels: 'float' }],
  commonlyUsed: true,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 2, max: 2 },
  summary: 'Regresses the cosine similarity of each pair onto its gold score (mean squared error); simple, for pairs with float similarity scores.',
};
