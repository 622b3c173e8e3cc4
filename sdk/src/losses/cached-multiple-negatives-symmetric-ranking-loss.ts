// CachedMultipleNegativesSymmetricRankingLoss: MultipleNegativesSymmetricRankingLoss with GradCache.
//   loss = mean_i [ ½ (lse_j(scale·sim(a_i, D_j)) + lse_j(scale·sim(a_j, p_i))) − scale·sim(a_i, p_i) ]
// Same value and gradients as the uncached loss; memory of one mini-batch (see grad-cache.ts).
//
// Arguments (defaults): scale 20, similarityFct 'cos_sim', miniBatchSize 32.
//
// | texts                                            | labels |
// | (anchor, positive)                               | none   |
// | (anchor, positive, negative_1, ..., negative_n)  | none   |
//
// Not for models whose first module is a StaticEmbedding (refused, as the reference does).
// Batch of one with pairs: loss 0. Sampler: no_duplicates.
// Related: MultipleNegativesSymmetricRankingLoss, CachedMultipleNegativesRankingLoss (one direction).
// Papers: Günther et al. 2024, https://arxiv.org/abs/2310.19923 ; Gao et al. 2021, https://arxiv.org/abs/2101.06983
import type * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { CachedMultipleNegativesRankingLoss } from './cached-multiple-negatives-ranking-loss';
import { checkMiniBatchSize } from './grad-cache';
import { mnrlFromResolved } from './multiple-negatives-ranking-loss';
import { symmetricMnrlOptions, type MultipleNegativesSymmetricRankingLossOptions } from './multiple-negatives-symmetric-ranking-loss';

export interface CachedMultipleNegativesSymmetricRankingLossOptions extends MultipleNegativesSymmetricRankingLossOptions {
  /** Rows embedded at once. Default 32. */
  miniBatchSize?: number;
}

export function cachedMultipleNegativesSymmetricRankingLoss(
  embeddings: tf.Tensor2D[],
  labels?: tf.Tensor,
  options: CachedMultipleNegativesSymmetricRankingLossOptions = {},
): tf.Scalar {
  void labels;
  const name = 'CachedMultipleNegativesSymmetricRankingLoss';
  checkMiniBatchSize(name, options.miniBatchSize ?? 32);
  return mnrlFromResolved(embeddings, symmetricMnrlOptions(options, name), name);
}

export class CachedMultipleNegativesSymmetricRankingLoss extends CachedMultipleNegativesRankingLoss {
  override readonly name: string = 'CachedMultipleNegativesSymmetricRankingLoss';

  constructor(model: SentenceTransformer, options: CachedMultipleNegativesSymmetricRankingLossOptions = {}) {
    super(model, { ...symmetricMnrlOptions(options, 'CachedMultipleNegativesSymmetricRankingLoss'), miniBatchSize: options.miniBatchSize });
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: 'CachedMultipleNegativesSymmetricRankingLoss',
  category: 'standard',
  formats: [{ texts: 'anchor-positive', labels: 'none' }],
  commonlyUsed: false,
  inOverview: false,
  recommendedSampler: 'no_duplicates',
  columns: { min: 2, max: null },
  summary: 'MultipleNegativesSymmetricRankingLoss with GradCache: both directions, large batches in the memory of one mini-batch.',
};
