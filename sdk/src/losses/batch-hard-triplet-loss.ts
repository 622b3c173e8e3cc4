// BatchHardTripletLoss: per anchor only its hardest triplet counts, the farthest positive and the closest negative:
//   hp_a = max_{p ≠ a, same class} D_ap  (0 if the anchor has no positive — such anchors still count)
//   hn_a = min_{n, other class} D_an      (the row maximum if the anchor has no negative)
//   loss = mean_a [hp_a − hn_a + margin]+   over all anchors
//
// Arguments (defaults = sentence-transformers v6): distanceMetric 'euclidean_distance'
// ('squared_euclidean_distance', 'cosine_distance'), margin 5.
//
// | texts            | labels        |
// | single sentences | integer class |
//
// Sampler: group_by_label (each batch needs ≥ 2 classes with ≥ 2 examples each).
// Related: BatchHardSoftMarginTripletLoss (no margin to tune), BatchSemiHardTripletLoss, BatchAllTripletLoss.
// Paper: Hermans, Beyer & Leibe 2017, In Defense of the Triplet Loss, https://arxiv.org/abs/1703.07737
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import {
  BATCH_TRIPLET_COLUMNS,
  batchTripletCatalogEntry,
  batchTripletDistances,
  batchTripletLabels,
  resolveBatchTripletOptions,
  hardestPairDistances,
  sameClassMask,
  type BatchTripletMarginOptions,
} from './batch-triplet-distances';
import { FunctionalCoreLoss } from './functional-core-loss';

export type BatchHardTripletLossOptions = BatchTripletMarginOptions;

const NAME = 'BatchHardTripletLoss';

/** BatchHardTripletLoss on embeddings [sentences] ([B, d]) and class labels [B]. */
export function batchHardTripletLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: BatchHardTripletLossOptions = {}): tf.Scalar {
  const { distanceMetric, margin } = resolveBatchTripletOptions(options, NAME);
  const classes = batchTripletLabels(NAME, embeddings, labels);
  return tf.tidy(() => {
    const distances = batchTripletDistances(embeddings[0], distanceMetric);
    const { hardestPositive, hardestNegative } = hardestPairDistances(distances, sameClassMask(classes));
    tf.dispose(classes);
    return tf.mean(tf.relu(tf.add(tf.sub(hardestPositive, hardestNegative), margin))) as tf.Scalar;
  });
}

export class BatchHardTripletLoss extends FunctionalCoreLoss<Required<BatchHardTripletLossOptions>> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: BatchHardTripletLossOptions = {}) {
    super(model, resolveBatchTripletOptions(options, NAME), BATCH_TRIPLET_COLUMNS, batchHardTripletLoss);
  }
}

export const catalogEntry = batchTripletCatalogEntry(
  NAME,
  'For each anchor, pushes its farthest same-class sentence closer than its closest other-class sentence by a margin; single sentences with class labels.',
);
