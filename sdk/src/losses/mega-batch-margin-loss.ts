// MegaBatchMarginLoss: for each (anchor, positive) pair the hardest negative is the most similar *other*
// positive of the batch, then a margin (triplet-like) loss applies:
//   C = cos_sim(anchors, positives)
//   loss = mean_i ( [positiveMargin − C_ii]+ + [max_{j≠i} C_ij − negativeMargin]+ )
// The gradient flows through the selected maximum only (one index per row on ties, as torch.max).
//
// Arguments (defaults): positiveMargin 0.8, negativeMargin 0.3, useMiniBatchedVersion true, miniBatchSize 50.
// The mini-batched version is GradCache (grad-cache.ts, sentence-transformers v5.7+): same value and gradients,
// memory of one mini-batch; it refuses StaticEmbedding models as the reference does (pass
// useMiniBatchedVersion: false for those).
//
// | texts                | labels |
// | (anchor, positive)   | none   |
//
// Batch of one: no other positive, so the negative term is 0 and the loss is [positiveMargin − C_00]+.
// Sampler: no_duplicates; meant for large batches (500 or more).
// Related: MultipleNegativesRankingLoss / CachedMultipleNegativesRankingLoss (softmax over all negatives,
// also accepts explicit negatives).
// Paper: Wieting & Gimpel 2018, ParaNMT-50M, https://aclanthology.org/P18-1042
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { RandomSource } from '../util/random';
import type { LossCatalogEntry } from './catalog-types';
import { checkMiniBatchSize, gradCacheLossAndGradients, refuseStaticEmbedding } from './grad-cache';
import { SentenceLoss, type Batch, type LossValueAndGradients } from './loss';
import { leadingDiagonal } from './multiple-negatives-ranking-loss';
import { cosSim } from './similarity';
import { checkBatchColumns, checkColumns, type ColumnExpectation } from './validate';

const COLUMNS: ColumnExpectation = { min: 2, max: 2, format: '(anchor, positive) pairs; the negatives are mined from the other positives' };

export interface MegaBatchMarginLossOptions {
  /** cos(anchor, positive) should exceed it. Default 0.8. */
  positiveMargin?: number;
  /** cos(anchor, hardest negative) should stay below it. Default 0.3. */
  negativeMargin?: number;
  /** GradCache in mini-batches (same numbers, less memory). Default true. */
  useMiniBatchedVersion?: boolean;
  /** Default 50. */
  miniBatchSize?: number;
}

export function megaBatchMarginLoss(embeddings: tf.Tensor2D[], labels?: tf.Tensor, options: MegaBatchMarginLossOptions = {}): tf.Scalar {
  void labels;
  checkColumns('MegaBatchMarginLoss', embeddings, COLUMNS);
  const { positiveMargin = 0.8, negativeMargin = 0.3 } = options;
  return tf.tidy(() => {
    const [anchors, positives] = embeddings;
    const batchSize = anchors.shape[0];
    const cos = cosSim(anchors, positives);
    const positiveTerm = tf.relu(tf.sub(positiveMargin, leadingDiagonal(cos)));
    if (batchSize === 1) return tf.mean(positiveTerm) as tf.Scalar;
    // Select the hardest negative by a one-hot of its index: tf.max's gradient would go to every tied entry.
    const isDiagonal = tf.cast(tf.eye(batchSize), 'bool');
    const hardest = tf.argMax(tf.where(isDiagonal, tf.fill([batchSize, batchSize], -Infinity), cos), 1);
    const hardestScores = tf.sum(tf.mul(cos, tf.oneHot(hardest, batchSize)), 1);
    return tf.mean(tf.add(positiveTerm, tf.relu(tf.sub(hardestScores, negativeMargin)))) as tf.Scalar;
  });
}

export class MegaBatchMarginLoss extends SentenceLoss {
  readonly name: string = 'MegaBatchMarginLoss';
  readonly options: Required<MegaBatchMarginLossOptions>;
  /** Seeds of the per-mini-batch dropout replay; Math.random unless set. */
  seedSource?: RandomSource;

  constructor(model: SentenceTransformer, options: MegaBatchMarginLossOptions = {}) {
    super(model);
    this.options = {
      positiveMargin: options.positiveMargin ?? 0.8,
      negativeMargin: options.negativeMargin ?? 0.3,
      useMiniBatchedVersion: options.useMiniBatchedVersion ?? true,
      miniBatchSize: options.miniBatchSize ?? 50,
    };
    checkMiniBatchSize('MegaBatchMarginLoss', this.options.miniBatchSize);
    if (this.options.useMiniBatchedVersion) refuseStaticEmbedding(model, 'MegaBatchMarginLoss (mini-batched)', 'useMiniBatchedVersion: false');
  }

  get usesGradientCache(): boolean {
    return this.options.useMiniBatchedVersion;
  }

  computeFromEmbeddings(embeddings: tf.Tensor2D[]): tf.Scalar {
    return megaBatchMarginLoss(embeddings, undefined, this.options);
  }

  override embedColumns(batch: Batch): tf.Tensor2D[] {
    checkBatchColumns(this.name, batch, COLUMNS);
    return super.embedColumns(batch);
  }

  override lossAndGradients(batch: Batch, variables: tf.Variable[] = this.trainableWeights()): LossValueAndGradients {
    checkBatchColumns(this.name, batch, COLUMNS);
    if (!this.options.useMiniBatchedVersion) return super.lossAndGradients(batch, variables);
    return gradCacheLossAndGradients({
      model: this.model,
      columns: batch.columns,
      miniBatchSize: this.options.miniBatchSize,
      lossFromEmbeddings: (embeddings) => this.computeFromEmbeddings(embeddings),
      variables,
      seedSource: this.seedSource,
    });
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: 'MegaBatchMarginLoss',
  category: 'standard',
  formats: [{ texts: 'anchor-positive', labels: 'none' }],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'no_duplicates',
  columns: { min: 2, max: 2 },
  summary: 'Margin loss against the hardest in-batch negative (the most similar other positive); needs very large batches, which its GradCache mini-batching makes affordable.',
};
