// BatchHardSoftMarginTripletLoss: BatchHardTripletLoss with a soft margin instead of a fixed one:
//   hp_a = max_{p ≠ a, same class} D_ap (0 without positive),  hn_a = min_{n, other class} D_an (row max without negative)
//   loss = mean_a log(1 + exp(hp_a − hn_a))
//
// Arguments (defaults = sentence-transformers v6): distanceMetric 'euclidean_distance'
// ('squared_euclidean_distance', 'cosine_distance'); no margin.
//
// | texts            | labels        |
// | single sentences | integer class |
//
// Sampler: group_by_label (each batch needs ≥ 2 classes with ≥ 2 examples each).
// Related: BatchHardTripletLoss (fixed margin), BatchSemiHardTripletLoss, BatchAllTripletLoss.
// Paper: Hermans, Beyer & Leibe 2017, In Defense of the Triplet Loss, https://arxiv.org/abs/1703.07737
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import {
  BATCH_TRIPLET_COLUMNS,
  batchTripletCatalogEntry,
  batchTripletDistances,
  batchTripletLabels,
  checkBatchTripletMetric,
  hardestPairDistances,
  sameClassMask,
  type BatchTripletDistanceMetric,
} from './batch-triplet-distances';
import { FunctionalCoreLoss } from './functional-core-loss';

export interface BatchHardSoftMarginTripletLossOptions {
  /** Default 'euclidean_distance'. */
  distanceMetric?: BatchTripletDistanceMetric;
}

const NAME = 'BatchHardSoftMarginTripletLoss';

function resolveOptions(options: BatchHardSoftMarginTripletLossOptions): Required<BatchHardSoftMarginTripletLossOptions> {
  return { distanceMetric: checkBatchTripletMetric(options.distanceMetric ?? 'euclidean_distance', NAME) };
}

/** BatchHardSoftMarginTripletLoss on embeddings [sentences] ([B, d]) and class labels [B]. */
export function batchHardSoftMarginTripletLoss(
  embeddings: tf.Tensor2D[],
  labels: tf.Tensor | undefined,
  options: BatchHardSoftMarginTripletLossOptions = {},
): tf.Scalar {
  const { distanceMetric } = resolveOptions(options);
  const classes = batchTripletLabels(NAME, embeddings, labels);
  return tf.tidy(() => {
    const distances = batchTripletDistances(embeddings[0], distanceMetric);
    const { hardestPositive, hardestNegative } = hardestPairDistances(distances, sameClassMask(classes));
    tf.dispose(classes);
    return tf.mean(tf.softplus(tf.sub(hardestPositive, hardestNegative))) as tf.Scalar;
  });
}

export class BatchHardSoftMarginTripletLoss extends FunctionalCoreLoss<Required<BatchHardSoftMarginTripletLossOptions>> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: BatchHardSoftMarginTripletLossOptions = {}) {
    super(model, resolveOptions(options), BATCH_TRIPLET_COLUMNS, batchHardSoftMarginTripletLoss);
  }
}

export const catalogEntry = batchTripletCatalogEntry(
  NAME,
  'BatchHardTripletLoss with a soft margin log(1 + exp(hp − hn)), so there is no margin to tune; single sentences with class labels.',
);
