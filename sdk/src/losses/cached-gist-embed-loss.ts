// CachedGISTEmbedLoss: GISTEmbedLoss computed with GradCache (grad-cache.ts), and any number of negatives.
// Same value and gradients as GISTEmbedLoss:
//   t_i = cos(g(a_i), g(p_i)) − margin (absolute) or − |…|·margin (relative); entries whose guide similarity
//   is > t_i become −inf (except AP[i][i]); loss = CE(concat(AP, AA, PP, AN_1..AN_K) / temperature, target i)
//
// Arguments (defaults): guide (required, frozen), temperature 0.01, miniBatchSize 32, marginStrategy 'absolute',
// margin 0, contrastAnchors true, contrastPositives true. The guide embeds in mini-batches too, never on a tape.
//
// | texts                                            | labels |
// | (anchor, positive)                               | none   |
// | (anchor, positive, negative)                     | none   |
// | (anchor, positive, negative_1, ..., negative_n)  | none   |
//
// Not for models whose first module is a StaticEmbedding (refused, as the reference does; use GISTEmbedLoss).
// Batch of one: loss 0 as GISTEmbedLoss. Sampler: no_duplicates.
// Related: GISTEmbedLoss, CachedMultipleNegativesRankingLoss (no guide).
// Papers: Solatorio 2024, https://arxiv.org/abs/2402.16829 ; Gao et al. 2021, https://arxiv.org/abs/2101.06983
import type * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { RandomSource } from '../util/random';
import type { LossCatalogEntry } from './catalog-types';
import { GISTEmbedLoss, gistFromResolved, resolveGistOptions, type GISTEmbedLossClassOptions, type GISTEmbedLossFunctionalOptions } from './gist-embed-loss';
import { checkMiniBatchSize, embedInMiniBatches, gradCacheLossAndGradients, refuseStaticEmbedding } from './grad-cache';
import type { Batch, LossValueAndGradients } from './loss';
import { IN_BATCH_NEGATIVES_FORMATS } from './multiple-negatives-ranking-loss';
import { checkBatchColumns } from './validate';

export interface CachedGISTEmbedLossFunctionalOptions extends GISTEmbedLossFunctionalOptions {
  /** Default 32; does not change the value. */
  miniBatchSize?: number;
}

export interface CachedGISTEmbedLossClassOptions extends GISTEmbedLossClassOptions {
  /** Rows embedded at once. Default 32. */
  miniBatchSize?: number;
}

export function cachedGistEmbedLoss(embeddings: tf.Tensor2D[], labels?: tf.Tensor, options: CachedGISTEmbedLossFunctionalOptions = {}): tf.Scalar {
  void labels;
  const name = 'CachedGISTEmbedLoss';
  checkMiniBatchSize(name, options.miniBatchSize ?? 32);
  return gistFromResolved(embeddings, options.guideEmbeddings, resolveGistOptions(options, name), name, null);
}

export class CachedGISTEmbedLoss extends GISTEmbedLoss {
  override readonly name: string = 'CachedGISTEmbedLoss';
  protected override readonly maxColumns: number | null = null;
  readonly usesGradientCache = true;
  readonly miniBatchSize: number;
  /** Seeds of the per-mini-batch dropout replay; Math.random unless set. */
  seedSource?: RandomSource;

  constructor(model: SentenceTransformer, options: CachedGISTEmbedLossClassOptions) {
    super(model, options);
    refuseStaticEmbedding(model, 'CachedGISTEmbedLoss', 'GISTEmbedLoss');
    this.miniBatchSize = options.miniBatchSize ?? 32;
    checkMiniBatchSize('CachedGISTEmbedLoss', this.miniBatchSize);
  }

  override embedGuide(batch: Batch): tf.Tensor2D[] {
    checkBatchColumns(this.name, batch, { min: 2, max: null, format: '(anchor, positive, negative_1, ..., negative_n) tuples' });
    return batch.columns.map((texts) => embedInMiniBatches(this.guide, texts, this.miniBatchSize, { training: false }));
  }

  protected override lossAndGradientsWithGuide(batch: Batch, variables: tf.Variable[]): LossValueAndGradients {
    return gradCacheLossAndGradients({
      model: this.model,
      columns: batch.columns,
      miniBatchSize: this.miniBatchSize,
      lossFromEmbeddings: (embeddings) => this.computeFromEmbeddings(embeddings, batch.labels),
      variables,
      seedSource: this.seedSource,
    });
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: 'CachedGISTEmbedLoss',
  category: 'standard',
  formats: IN_BATCH_NEGATIVES_FORMATS,
  commonlyUsed: false,
  inOverview: false,
  recommendedSampler: 'no_duplicates',
  columns: { min: 2, max: null },
  summary: 'GISTEmbedLoss with GradCache: guide-filtered in-batch negatives with large batches in the memory of one mini-batch.',
};
