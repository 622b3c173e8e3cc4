// TripletLoss: the anchor should be closer to its positive than to its negative by at least the margin:
//   loss = mean_i [ dist(a_i, p_i) − dist(a_i, n_i) + tripletMargin ]+
// Distances (TripletDistanceMetric): EUCLIDEAN ‖a − b‖₂, MANHATTAN ‖a − b‖₁, COSINE 1 − cos(a, b).
// (sentence-transformers v5.0–v5.3 returned negative euclidean / manhattan distances, inverting the loss;
// this is the fixed v5.4+ behaviour.) Identical rows give distance 0 with a zero gradient, not NaN.
//
// Arguments (defaults = sentence-transformers v6): distanceMetric 'EUCLIDEAN', tripletMargin 5.
//
// | texts                         | labels |
// | (anchor, positive, negative)  | none   |
//
// Sampler: default. Related: MultipleNegativesRankingLoss (uses every other row as a negative too; usually
// stronger), the batch triplet losses (single sentences with class labels).
// Paper: Schroff et al. 2015, FaceNet, https://arxiv.org/abs/1503.03832
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { FunctionalCoreLoss } from './functional-core-loss';
import { sqrtZeroGradAtZero } from './masks';
import { pairwiseCosSim } from './similarity';
import { checkColumns, type ColumnExpectation } from './validate';

export type TripletDistanceMetric = 'EUCLIDEAN' | 'MANHATTAN' | 'COSINE';
const METRICS: readonly TripletDistanceMetric[] = ['EUCLIDEAN', 'MANHATTAN', 'COSINE'];

export interface TripletLossOptions {
  /** Default 'EUCLIDEAN'. */
  distanceMetric?: TripletDistanceMetric;
  /** Default 5. */
  tripletMargin?: number;
}

const NAME = 'TripletLoss';
const COLUMNS: ColumnExpectation = { min: 3, max: 3, format: '(anchor, positive, negative) triplets' };

function resolveOptions(options: TripletLossOptions): Required<TripletLossOptions> {
  const resolved = { distanceMetric: options.distanceMetric ?? 'EUCLIDEAN', tripletMargin: options.tripletMargin ?? 5 };
  if (!METRICS.includes(resolved.distanceMetric)) throw new Error(`${NAME}: distanceMetric must be one of ${METRICS.join(', ')}; got '${String(resolved.distanceMetric)}'`);
  if (!Number.isFinite(resolved.tripletMargin)) throw new Error(`${NAME}: tripletMargin must be a finite number; got ${resolved.tripletMargin}`);
  return resolved;
}

function tripletDistance(metric: TripletDistanceMetric, a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    if (metric === 'COSINE') return tf.sub(1, pairwiseCosSim(a, b)) as tf.Tensor1D;
    if (metric === 'MANHATTAN') return tf.sum(tf.abs(tf.sub(a, b)), 1) as tf.Tensor1D;
    return sqrtZeroGradAtZero(tf.sum(tf.square(tf.sub(a, b)), 1)) as tf.Tensor1D;
  });
}

/** TripletLoss on embeddings [anchor, positive, negative] (each [B, d]); labels are ignored. */
export function tripletLoss(embeddings: tf.Tensor2D[], labels?: tf.Tensor, options: TripletLossOptions = {}): tf.Scalar {
  void labels;
  const { distanceMetric, tripletMargin } = resolveOptions(options);
  checkColumns(NAME, embeddings, COLUMNS);
  return tf.tidy(() => {
    const [anchor, positive, negative] = embeddings;
    const gap = tf.sub(tripletDistance(distanceMetric, anchor, positive), tripletDistance(distanceMetric, anchor, negative));
    return tf.mean(tf.relu(tf.add(gap, tripletMargin))) as tf.Scalar;
  });
}

export class TripletLoss extends FunctionalCoreLoss<Required<TripletLossOptions>> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: TripletLossOptions = {}) {
    super(model, resolveOptions(options), COLUMNS, tripletLoss);
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'standard',
  formats: [{ texts: 'anchor-positive-negative', labels: 'none' }],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 3, max: 3 },
  summary: 'Keeps each anchor closer to its positive than to its negative by a margin; for (anchor, positive, negative) triplets, though MultipleNegativesRankingLoss is usually stronger.',
};
