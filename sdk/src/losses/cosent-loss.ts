// CoSENTLoss: a ranking loss on pair scores. For every two pairs (i, j) whose gold labels say pair j is more
// similar than pair i (label_i < label_j, strictly), the model's score for i should be lower than for j:
//   s_i = scale · sim(u_i, v_i),   loss = log(1 + Σ_{label_i < label_j} exp(s_i − s_j))
// i.e. a log-sum-exp over [0] ∪ {s_i − s_j}; equal labels contribute nothing. One value for the whole batch
// (no averaging). Only the order of the labels matters, not their range.
//
// Arguments (defaults = sentence-transformers v6): scale 20, similarityFct 'pairwise_cos_sim' (any pairwise
// similarity: 'pairwise_dot_score', 'pairwise_euclidean_sim', 'pairwise_manhattan_sim', 'pairwise_angle_sim').
//
// | texts                    | labels                  |
// | (sentence_A, sentence_B) | float similarity score  |
//
// Sampler: default. Related: AnglELoss (CoSENT on the angle similarity), CosineSimilarityLoss (regresses the
// cosine onto the score; CoSENT usually trains better), MultipleNegativesRankingLoss for pairs without scores.
// Paper: Su 2022, CoSENT, https://kexue.fm/archives/8847
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { FunctionalCoreLoss } from './functional-core-loss';
import { getPairwiseSimilarity, type PairwiseSimilarityName } from './similarity';
import { checkColumns, checkLabelVector, type ColumnExpectation } from './validate';

export interface CoSENTLossOptions {
  /** Inverse temperature: s = sim × scale. Default 20. */
  scale?: number;
  /** Pairwise similarity. Default 'pairwise_cos_sim'. */
  similarityFct?: PairwiseSimilarityName;
}

export const COSENT_COLUMNS: ColumnExpectation = { min: 2, max: 2, format: '(sentence_A, sentence_B) pairs' };
export const COSENT_LABELS = 'one float similarity score per row';

/**
 * log(1 + Σ_{labels_i < labels_j} exp(s_i − s_j)) for scores s [N] and labels [N]. Pairs that do not count are
 * set to −∞ (the reference subtracts 1e12): they drop out of the log-sum-exp and get no gradient.
 */
export function cosentFromScores(scores: tf.Tensor1D, labels: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const differences = tf.sub(tf.expandDims(scores, 1), tf.expandDims(scores, 0)); // [i, j] = s_i − s_j
    const ranked = tf.less(tf.expandDims(labels, 1), tf.expandDims(labels, 0)); // labels only: no gradient needed
    const counted = tf.where(ranked, differences, tf.fill(differences.shape, -Infinity));
    return tf.logSumExp(tf.concat([tf.zeros([1]), tf.reshape(counted, [-1])])) as tf.Scalar;
  });
}

/** Defaults filled in and checked; `lossName` names the loss in errors. */
export function resolveCoSENTOptions(options: CoSENTLossOptions = {}, lossName = 'CoSENTLoss'): Required<CoSENTLossOptions> {
  const resolved = { scale: options.scale ?? 20, similarityFct: options.similarityFct ?? 'pairwise_cos_sim' };
  if (!Number.isFinite(resolved.scale)) throw new Error(`${lossName}: scale must be a finite number; got ${resolved.scale}`);
  getPairwiseSimilarity(resolved.similarityFct, lossName);
  return resolved;
}

/** CoSENTLoss on embeddings [sentence_A, sentence_B] (each [B, d]) and float labels [B]. */
export function cosentLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: CoSENTLossOptions = {}): tf.Scalar {
  const name = 'CoSENTLoss';
  const { scale, similarityFct } = resolveCoSENTOptions(options, name);
  checkColumns(name, embeddings, COSENT_COLUMNS);
  const y = checkLabelVector(name, labels, embeddings[0].shape[0], COSENT_LABELS);
  const sim = getPairwiseSimilarity(similarityFct, name);
  return tf.tidy(() => cosentFromScores(tf.mul(sim(embeddings[0], embeddings[1]), scale) as tf.Tensor1D, tf.reshape(y, [-1]) as tf.Tensor1D));
}

export class CoSENTLoss extends FunctionalCoreLoss<Required<CoSENTLossOptions>> {
  readonly name: string = 'CoSENTLoss';

  constructor(model: SentenceTransformer, options: CoSENTLossOptions = {}) {
    super(model, resolveCoSENTOptions(options), COSENT_COLUMNS, cosentLoss);
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: 'CoSENTLoss',
  category: 'standard',
  formats: [{ texts: 'pair', labels: 'float' }],
  commonlyUsed: true,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 2, max: 2 },
  summary: 'Ranks pair scores by their gold similarity (only the order of the labels matters); a strong default for pairs with float similarity scores, usually better than CosineSimilarityLoss.',
};
