// MultipleNegativesSymmetricRankingLoss: MultipleNegativesRankingLoss with directions
// ['query_to_doc', 'doc_to_query'] and partitionMode 'per_direction' (a preset since sentence-transformers v5.3).
//
//   loss = mean_i [ ½ (lse_j(scale·sim(a_i, D_j)) + lse_j(scale·sim(a_j, p_i))) − scale·sim(a_i, p_i) ]
// i.e. the mean of the forward CE (anchor → every document, negatives included) and the backward CE
// (positive → every anchor; negatives never enter the backward term).
//
// Arguments (defaults): scale 20, similarityFct 'cos_sim'.
//
// | texts                                            | labels |
// | (anchor, positive)                               | none   |
// | (anchor, positive, negative_1, ..., negative_n)  | none   |
//
// Batch of one with pairs: both CEs are over a single logit, loss 0 (as the reference).
// Sampler: no_duplicates.
// Related: MultipleNegativesRankingLoss (the general form; deprecated alias upstream),
// CachedMultipleNegativesSymmetricRankingLoss (GradCache, same numbers).
// Paper: Günther et al. 2024, https://arxiv.org/abs/2310.19923
import type * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { MultipleNegativesRankingLoss, mnrlFromResolved, resolveMnrlOptions, type ResolvedMnrlOptions } from './multiple-negatives-ranking-loss';
import type { MatrixSimilarityName } from './similarity';

export interface MultipleNegativesSymmetricRankingLossOptions {
  /** Default 20. */
  scale?: number;
  /** Default 'cos_sim'. */
  similarityFct?: MatrixSimilarityName;
}

/** The MNRL options this preset stands for. */
export function symmetricMnrlOptions(options: MultipleNegativesSymmetricRankingLossOptions, lossName: string): ResolvedMnrlOptions {
  return resolveMnrlOptions(
    { scale: options.scale, similarityFct: options.similarityFct, directions: ['query_to_doc', 'doc_to_query'], partitionMode: 'per_direction' },
    lossName,
  );
}

export function multipleNegativesSymmetricRankingLoss(
  embeddings: tf.Tensor2D[],
  labels?: tf.Tensor,
  options: MultipleNegativesSymmetricRankingLossOptions = {},
): tf.Scalar {
  void labels;
  const name = 'MultipleNegativesSymmetricRankingLoss';
  return mnrlFromResolved(embeddings, symmetricMnrlOptions(options, name), name);
}

export class MultipleNegativesSymmetricRankingLoss extends MultipleNegativesRankingLoss {
  override readonly name: string = 'MultipleNegativesSymmetricRankingLoss';

  constructor(model: SentenceTransformer, options: MultipleNegativesSymmetricRankingLossOptions = {}) {
    super(model, symmetricMnrlOptions(options, 'MultipleNegativesSymmetricRankingLoss'));
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: 'MultipleNegativesSymmetricRankingLoss',
  category: 'standard',
  formats: [
    { texts: 'anchor-positive', labels: 'none' },
    { texts: 'anchor-positive-negatives', labels: 'none' },
  ],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'no_duplicates',
  columns: { min: 2, max: null },
  summary: 'MNRL plus the backward term (each positive must pick its anchor), averaged; for symmetric tasks such as question-answer pairs both ways.',
};
