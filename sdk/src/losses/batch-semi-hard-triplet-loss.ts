// BatchSemiHardTripletLoss (sentence-transformers' port of TensorFlow Addons' triplet_semihard_loss): for each
// ordered positive pair (a, p), a ≠ p, same class, the negative used is the closest negative that is still
// strictly farther than D_ap (semi-hard); if there is none, the farthest negative:
//   n*(a, p) = argmin_{n: D_an > D_ap} D_an,  else argmax_n D_an
//   loss = Σ_{(a, p)} [D_ap − D_an* + margin]+ / (number of positive pairs)   (zero terms count in the denominator)
// An anchor without any negative falls back to its row minimum (≈ 0, its distance to itself). A batch without
// any positive pair gives 0 (the reference divides 0 by a count clamped at 1e-16).
//
// Arguments (defaults = sentence-transformers v6): distanceMetric 'euclidean_distance'
// ('squared_euclidean_distance', 'cosine_distance'), margin 5.
//
// | texts            | labels        |
// | single sentences | integer class |
//
// Sampler: group_by_label (each batch needs ≥ 2 classes with ≥ 2 examples each).
// Related: BatchHardTripletLoss, BatchAllTripletLoss, BatchHardSoftMarginTripletLoss.
// Paper: Schroff et al. 2015, FaceNet, https://arxiv.org/abs/1503.03832
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import {
  BATCH_TRIPLET_COLUMNS,
  batchTripletCatalogEntry,
  batchTripletDistances,
  batchTripletLabels,
  resolveBatchTripletOptions,
  sameClassMask,
  type BatchTripletMarginOptions,
} from './batch-triplet-distances';
import { FunctionalCoreLoss } from './functional-core-loss';
import { greaterMask, maxSelectingOne, minSelectingOne } from './masks';

export type BatchSemiHardTripletLossOptions = BatchTripletMarginOptions;

const NAME = 'BatchSemiHardTripletLoss';

// TF Addons' masked minimum / maximum over the last axis: shift by the extreme value so masked-out entries (0)
// never win, then shift back. Kept as in the reference (one selected entry per reduction, as torch) so that
// gradients are routed to the same entries.
function maskedMinimum(data: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  const axisMax = maxSelectingOne(data);
  return tf.add(minSelectingOne(tf.mul(tf.sub(data, tf.expandDims(axisMax, -1)), mask)), axisMax);
}

function maskedMaximum(data: tf.Tensor, mask: tf.Tensor): tf.Tensor {
  const axisMin = minSelectingOne(data);
  return tf.add(maxSelectingOne(tf.mul(tf.sub(data, tf.expandDims(axisMin, -1)), mask)), axisMin);
}

/** BatchSemiHardTripletLoss on embeddings [sentences] ([B, d]) and class labels [B]. */
export function batchSemiHardTripletLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: BatchSemiHardTripletLossOptions = {}): tf.Scalar {
  const { distanceMetric, margin } = resolveBatchTripletOptions(options, NAME);
  const classes = batchTripletLabels(NAME, embeddings, labels);
  return tf.tidy(() => {
    const distances = batchTripletDistances(embeddings[0], distanceMetric);
    const b = distances.shape[0];
    const same = sameClassMask(classes);
    tf.dispose(classes);
    const otherClass = tf.sub(1, same);
    // [a, p, n]: n is a negative of a strictly farther from a than p is (no gradient through the mask).
    const anchorToNegative = tf.broadcastTo(tf.expandDims(distances, 1), [b, b, b]);
    const fartherNegative = tf.mul(tf.expandDims(otherClass, 1), greaterMask(anchorToNegative, tf.expandDims(distances, 2)));
    const hasFartherNegative = tf.cast(greaterMask(tf.sum(fartherNegative, 2), 0), 'bool');
    const closestFartherNegative = maskedMinimum(anchorToNegative, fartherNegative); // [a, p]
    const farthestNegative = tf.broadcastTo(tf.expandDims(maskedMaximum(distances, otherClass), 1), [b, b]); // [a, ·]
    const semiHardNegative = tf.where(hasFartherNegative, closestFartherNegative, farthestNegative);

    const positivePairs = tf.sub(same, tf.eye(b));
    const terms = tf.relu(tf.mul(tf.add(tf.sub(distances, semiHardNegative), margin), positivePairs));
    return tf.div(tf.sum(terms), tf.maximum(tf.sum(positivePairs), 1e-16)) as tf.Scalar;
  });
}

export class BatchSemiHardTripletLoss extends FunctionalCoreLoss<Required<BatchSemiHardTripletLossOptions>> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: BatchSemiHardTripletLossOptions = {}) {
    super(model, resolveBatchTripletOptions(options, NAME), BATCH_TRIPLET_COLUMNS, batchSemiHardTripletLoss);
  }
}

export const catalogEntry = batchTripletCatalogEntry(
  NAME,
  'Uses, for each positive pair, the closest negative that is still farther than the positive (semi-hard), as in FaceNet; single sentences with class labels.',
);
