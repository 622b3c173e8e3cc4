// ContrastiveLoss: similar pairs (label 1) are pulled together, dissimilar pairs (label 0) pushed apart until
// their distance reaches the margin:
//   per pair: ½ · [ y·d² + (1 − y)·[margin − d]+² ],   loss = mean over pairs (sum if sizeAverage = false)
// Distances (SiameseDistanceMetric): COSINE_DISTANCE = 1 − cos (torch cosine_similarity, eps 1e-8);
// EUCLIDEAN = ‖x − y + 1e-6‖₂ and MANHATTAN = ‖x − y + 1e-6‖₁ (torch's pairwise_distance adds eps 1e-6).
// Labels other than 0 / 1 act as weights of the two terms (with a one-time warning).
//
// Arguments (defaults = sentence-transformers v6): distanceMetric 'COSINE_DISTANCE', margin 0.5, sizeAverage true.
//
// | texts             | labels                          |
// | (anchor, other)   | 1 if similar, 0 if dissimilar   |
//
// Sampler: default. Related: OnlineContrastiveLoss (only the hard pairs; usually better),
// MultipleNegativesRankingLoss (when only positive pairs are available).
// Paper: Hadsell, Chopra & LeCun 2006, http://yann.lecun.com/exdb/publis/pdf/hadsell-chopra-lecun-06.pdf
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { warnOnceIfNotBinary } from './label-warnings';
import { FunctionalCoreLoss } from './functional-core-loss';
import { sqrtZeroGradAtZero } from './masks';
import { pairwiseTorchCosineSimilarity } from './similarity';
import { checkColumns, checkLabelVector, type ColumnExpectation } from './validate';

export type SiameseDistanceMetric = 'COSINE_DISTANCE' | 'EUCLIDEAN' | 'MANHATTAN';
const METRICS: readonly SiameseDistanceMetric[] = ['COSINE_DISTANCE', 'EUCLIDEAN', 'MANHATTAN'];

export interface ContrastiveLossOptions {
  /** Default 'COSINE_DISTANCE'. */
  distanceMetric?: SiameseDistanceMetric;
  /** Dissimilar pairs closer than this are penalised. Default 0.5. */
  margin?: number;
  /** Mean over pairs (true, default) or sum (false). */
  sizeAverage?: boolean;
}

export const CONTRASTIVE_COLUMNS: ColumnExpectation = { min: 2, max: 2, format: '(anchor, other) pairs' };
export const BINARY_LABELS = 'one label per row, 1 if similar, 0 if dissimilar';
const NAME = 'ContrastiveLoss';

export function checkDistanceMetric(metric: string, lossName: string): SiameseDistanceMetric {
  if (!(METRICS as readonly string[]).includes(metric)) throw new Error(`${lossName}: distanceMetric must be one of ${METRICS.join(', ')}; got '${metric}'`);
  return metric as SiameseDistanceMetric;
}

/** SiameseDistanceMetric of row i with row i: [B]. */
export function siameseDistance(metric: SiameseDistanceMetric, x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    if (metric === 'COSINE_DISTANCE') return tf.sub(1, pairwiseTorchCosineSimilarity(x, y)) as tf.Tensor1D;
    const difference = tf.add(tf.sub(x, y), 1e-6); // F.pairwise_distance's eps
    if (metric === 'MANHATTAN') return tf.sum(tf.abs(difference), 1) as tf.Tensor1D;
    return sqrtZeroGradAtZero(tf.sum(tf.square(difference), 1)) as tf.Tensor1D;
  });
}

function resolveOptions(options: ContrastiveLossOptions): Required<ContrastiveLossOptions> {
  const resolved = { distanceMetric: checkDistanceMetric(options.distanceMetric ?? 'COSINE_DISTANCE', NAME), margin: options.margin ?? 0.5, sizeAverage: options.sizeAverage ?? true };
  if (!Number.isFinite(resolved.margin)) throw new Error(`${NAME}: margin must be a finite number; got ${resolved.margin}`);
  return resolved;
}

/** ContrastiveLoss on embeddings [anchor, other] (each [B, d]) and labels [B] (1 similar, 0 dissimilar). */
export function contrastiveLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: ContrastiveLossOptions = {}): tf.Scalar {
  const { distanceMetric, margin, sizeAverage } = resolveOptions(options);
  checkColumns(NAME, embeddings, CONTRASTIVE_COLUMNS);
  const y = checkLabelVector(NAME, labels, embeddings[0].shape[0], BINARY_LABELS);
  return tf.tidy(() => {
    const weights = tf.cast(tf.reshape(y, [-1]), 'float32');
    warnOnceIfNotBinary(NAME, weights, 'they weight the similar term y·d² and the dissimilar term (1 − y)·[margin − d]+² as given');
    const d = siameseDistance(distanceMetric, embeddings[0], embeddings[1]);
    const similar = tf.mul(weights, tf.square(d));
    const dissimilar = tf.mul(tf.sub(1, weights), tf.square(tf.relu(tf.sub(margin, d))));
    const perPair = tf.mul(0.5, tf.add(similar, dissimilar));
    return (sizeAverage ? tf.mean(perPair) : tf.sum(perPair)) as tf.Scalar;
  });
}

export class ContrastiveLoss extends FunctionalCoreLoss<Required<ContrastiveLossOptions>> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: ContrastiveLossOptions = {}) {
    super(model, resolveOptions(options), CONTRASTIVE_COLUMNS, contrastiveLoss);
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'standard',
  formats: [{ texts: 'pair', labels: 'binary' }],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 2, max: 2 },
  summary: 'Pulls similar pairs (1) together and pushes dissimilar pairs (0) beyond a margin; for pairs labelled 1/0, OnlineContrastiveLoss often works better.',
};
