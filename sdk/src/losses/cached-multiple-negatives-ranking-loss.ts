// CachedMultipleNegativesRankingLoss: MultipleNegativesRankingLoss computed with GradCache, so the batch
// size is bounded by the memory of one mini-batch's activations instead of the whole batch's.
// Same value and same gradients as MNRL (every MNRL option is accepted):
//   loss = mean_i [ lse_j(scale · sim(a_i, D_j)) − scale · sim(a_i, p_i) ]   (see multiple-negatives-ranking-loss.ts)
// Procedure (grad-cache.ts): embed every column in mini-batches of miniBatchSize without a gradient tape,
// compute the loss and d loss / d embeddings on the full batch, then re-embed each mini-batch under the tape
// and back-propagate sum(embedding · cached gradient). Dropout masks are replayed between the two passes.
//
// Arguments (defaults): scale 20, similarityFct 'cos_sim', miniBatchSize 32, directions ['query_to_doc'],
// partitionMode 'joint', hardnessMode null, hardnessStrength 0.
//
// | texts                                            | labels |
// | (anchor, positive)                               | none   |
// | (anchor, positive, negative)                     | none   |
// | (anchor, positive, negative_1, ..., negative_n)  | none   |
//
// Not for models whose first module is a StaticEmbedding (refused, as the reference does; use MNRL).
// forward(batch) embeds the whole batch at once (no saving); the trainer calls lossAndGradients.
// Batch of one with pairs: loss 0 (as MNRL). Sampler: no_duplicates.
// Related: MultipleNegativesRankingLoss (faster when the batch fits), CachedMultipleNegativesSymmetricRankingLoss,
// CachedGISTEmbedLoss.
// Papers: Gao et al. 2021 (GradCache), https://arxiv.org/abs/2101.06983 ; Henderson et al. 2017,
// https://arxiv.org/abs/1705.00652
import type * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { RandomSource } from '../util/random';
import type { LossCatalogEntry } from './catalog-types';
import { checkMiniBatchSize, gradCacheLossAndGradients, refuseStaticEmbedding } from './grad-cache';
import type { Batch, LossValueAndGradients } from './loss';
import { checkBatchColumns } from './validate';
import {
  IN_BATCH_NEGATIVES_FORMATS,
  MNRL_COLUMNS,
  MultipleNegativesRankingLoss,
  mnrlFromResolved,
  resolveMnrlOptions,
  type MultipleNegativesRankingLossOptions,
} from './multiple-negatives-ranking-loss';

export interface CachedMultipleNegativesRankingLossOptions extends MultipleNegativesRankingLossOptions {
  /** Rows embedded at once; bounds the activation memory. Default 32. */
  miniBatchSize?: number;
}

/** The value equals MNRL's for any miniBatchSize (mini-batching only changes memory, not numbers). */
export function cachedMultipleNegativesRankingLoss(
  embeddings: tf.Tensor2D[],
  labels?: tf.Tensor,
  options: CachedMultipleNegativesRankingLossOptions = {},
): tf.Scalar {
  void labels;
  const name = 'CachedMultipleNegativesRankingLoss';
  checkMiniBatchSize(name, options.miniBatchSize ?? 32);
  return mnrlFromResolved(embeddings, resolveMnrlOptions(options, name), name);
}

export class CachedMultipleNegativesRankingLoss extends MultipleNegativesRankingLoss {
  override readonly name: string = 'CachedMultipleNegativesRankingLoss';
  readonly usesGradientCache = true;
  readonly miniBatchSize: number;
  /** Seeds of the per-mini-batch dropout replay; Math.random unless set (tests make it deterministic). */
  seedSource?: RandomSource;

  constructor(model: SentenceTransformer, options: CachedMultipleNegativesRankingLossOptions = {}) {
    super(model, options);
    refuseStaticEmbedding(model, new.target.name, new.target.name.replace(/^Cached/, ''));
    this.miniBatchSize = options.miniBatchSize ?? 32;
    checkMiniBatchSize(new.target.name, this.miniBatchSize);
  }

  override lossAndGradients(batch: Batch, variables: tf.Variable[] = this.trainableWeights()): LossValueAndGradients {
    checkBatchColumns(this.name, batch, MNRL_COLUMNS);
    return gradCacheLossAndGradients({
      model: this.model,
      columns: batch.columns,
      miniBatchSize: this.miniBatchSize,
      lossFromEmbeddings: (embeddings) => this.computeFromEmbeddings(embeddings),
      variables,
      seedSource: this.seedSource,
    });
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: 'CachedMultipleNegativesRankingLoss',
  category: 'standard',
  formats: IN_BATCH_NEGATIVES_FORMATS,
  commonlyUsed: true,
  inOverview: true,
  recommendedSampler: 'no_duplicates',
  columns: { min: 2, max: null },
  summary: 'MultipleNegativesRankingLoss with GradCache: same numbers, memory of one mini-batch, so much larger batches (more in-batch negatives) at about 2x the compute.',
};
