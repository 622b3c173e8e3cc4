// BatchAllTripletLoss: every valid triplet of the batch counts. Over all index triples (a, p, n), pairwise
// distinct, with label_a = label_p ≠ label_n:
//   l_apn = [D_ap − D_an + margin]+,   loss = Σ l / (number of triplets with l > 1e-16  + 1e-16)
// — the mean over the *active* triplets only. A batch without any valid or active triplet gives 0 (finite).
//
// Arguments (defaults = sentence-transformers v6): distanceMetric 'euclidean_distance'
// ('squared_euclidean_distance', 'cosine_distance'), margin 5.
//
// | texts            | labels        |
// | single sentences | integer class |
//
// Sampler: group_by_label (each batch needs ≥ 2 classes with ≥ 2 examples each).
// Related: BatchHardTripletLoss (hardest triplet per anchor), BatchSemiHardTripletLoss, BatchHardSoftMarginTripletLoss.
// Paper: Hermans, Beyer & Leibe 2017, In Defense of the Triplet Loss, https://arxiv.org/abs/1703.07737
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
import { greaterMask } from './masks';

export type BatchAllTripletLossOptions = BatchTripletMarginOptions;

const NAME = 'BatchAllTripletLoss';

/** BatchAllTripletLoss on embeddings [sentences] ([B, d]) and class labels [B]. */
export function batchAllTripletLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: BatchAllTripletLossOptions = {}): tf.Scalar {
  const { distanceMetric, margin } = resolveBatchTripletOptions(options, NAME);
  const classes = batchTripletLabels(NAME, embeddings, labels);
  return tf.tidy(() => {
    const distances = batchTripletDistances(embeddings[0], distanceMetric);
    const same = sameClassMask(classes);
    // valid[a, p, n]: p ≠ a of a's class, n of another class (so n ≠ a and n ≠ p as well).
    const valid = tf.mul(tf.expandDims(tf.sub(same, tf.eye(same.shape[0])), 2), tf.expandDims(tf.sub(1, same), 1));
    const triplets = tf.add(tf.sub(tf.expandDims(distances, 2), tf.expandDims(distances, 1)), margin); // [a, p, n] = D_ap − D_an + margin
    const losses = tf.relu(tf.mul(valid, triplets));
    const active = tf.sum(greaterMask(losses, 1e-16));
    tf.dispose(classes);
    return tf.div(tf.sum(losses), tf.add(active, 1e-16)) as tf.Scalar;
  });
}

export class BatchAllTripletLoss extends FunctionalCoreLoss<Required<BatchAllTripletLossOptions>> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: BatchAllTripletLossOptions = {}) {
    super(model, resolveBatchTripletOptions(options, NAME), BATCH_TRIPLET_COLUMNS, batchAllTripletLoss);
  }
}

export const catalogEntry = batchTripletCatalogEntry(
  NAME,
  'Averages the margin loss over every active (anchor, positive, negative) triplet the batch holds; single sentences with class labels.',
);
