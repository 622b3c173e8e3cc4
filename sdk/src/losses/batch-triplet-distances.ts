// Shared by the four batch triplet losses (BatchAll, BatchHard, BatchHardSoftMargin, BatchSemiHard): one text
// column with class labels, the [B, B] distance matrix of the batch (BatchHardTripletLossDistanceFunction),
// the same-class mask and the hardest positive / negative per anchor.
import * as tf from '@tensorflow/tfjs';
import type { LossCatalogEntry } from './catalog-types';
import { maxSelectingOne, minSelectingOne, sqrtZeroGradAtZero } from './masks';
import { cosSim } from './similarity';
import { checkColumns, checkLabelVector, type ColumnExpectation } from './validate';

export type BatchTripletDistanceMetric = 'euclidean_distance' | 'squared_euclidean_distance' | 'cosine_distance';
const METRICS: readonly BatchTripletDistanceMetric[] = ['euclidean_distance', 'squared_euclidean_distance', 'cosine_distance'];

export const BATCH_TRIPLET_COLUMNS: ColumnExpectation = { min: 1, max: 1, format: 'single sentences' };
const CLASS_LABELS = 'one integer class label per row';

export function checkBatchTripletMetric(metric: string, lossName: string): BatchTripletDistanceMetric {
  if (!(METRICS as readonly string[]).includes(metric)) throw new Error(`${lossName}: distanceMetric must be one of ${METRICS.join(', ')}; got '${metric}'`);
  return metric as BatchTripletDistanceMetric;
}

/** The options of BatchAll-, BatchHard- and BatchSemiHardTripletLoss. */
export interface BatchTripletMarginOptions {
  /** Default 'euclidean_distance'. */
  distanceMetric?: BatchTripletDistanceMetric;
  /** Default 5. */
  margin?: number;
}

/** Defaults filled in (sentence-transformers v6: euclidean_distance, margin 5) and checked. */
export function resolveBatchTripletOptions(options: BatchTripletMarginOptions, lossName: string): Required<BatchTripletMarginOptions> {
  const resolved = { distanceMetric: checkBatchTripletMetric(options.distanceMetric ?? 'euclidean_distance', lossName), margin: options.margin ?? 5 };
  if (!Number.isFinite(resolved.margin)) throw new Error(`${lossName}: margin must be a finite number; got ${resolved.margin}`);
  return resolved;
}

/**
 * Distances between all rows [B, B]. Euclidean from the Gram matrix, ‖x‖² − 2x·y + ‖y‖², with ‖x‖² read off
 * the Gram diagonal so the diagonal is exactly 0; negatives clamped to 0; the square root only where the value
 * is non-zero (exact zeros keep a zero gradient, never NaN). Cosine distance = 1 − cos_sim.
 */
export function batchTripletDistances(x: tf.Tensor2D, metric: BatchTripletDistanceMetric): tf.Tensor2D {
  return tf.tidy(() => {
    if (metric === 'cosine_distance') return tf.sub(1, cosSim(x, x)) as tf.Tensor2D;
    const gram = tf.matMul(x, x, false, true);
    const squaredNorms = tf.sum(tf.mul(gram, tf.eye(x.shape[0])), 1);
    const squared = tf.add(tf.sub(tf.expandDims(squaredNorms, 0), tf.mul(2, gram)), tf.expandDims(squaredNorms, 1));
    const clamped = tf.maximum(squared, 0); // gradient passes at exactly 0, as torch.where(d < 0, 0, d)
    return (metric === 'squared_euclidean_distance' ? clamped : sqrtZeroGradAtZero(clamped)) as tf.Tensor2D;
  });
}

/** The common input check: one column, labels [B]; returns the labels as a float32 vector. */
export function batchTripletLabels(lossName: string, embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined): tf.Tensor1D {
  checkColumns(lossName, embeddings, BATCH_TRIPLET_COLUMNS);
  const y = checkLabelVector(lossName, labels, embeddings[0].shape[0], CLASS_LABELS);
  return tf.tidy(() => tf.cast(tf.reshape(y, [-1]), 'float32') as tf.Tensor1D);
}

/** 1 where rows i and j have the same class (diagonal included), compared on the backend with tf.equal. */
export function sameClassMask(labels: tf.Tensor1D): tf.Tensor2D {
  return tf.tidy(() => tf.cast(tf.equal(tf.expandDims(labels, 1), tf.expandDims(labels, 0)), 'float32') as tf.Tensor2D);
}

/**
 * Per anchor (reductions send the gradient to one entry, as torch's max(dim) / min(dim)): the hardest positive max_p D_ap over same-class p ≠ a (0 when there is none) and the hardest
 * negative min_n D_an over other-class n (the row maximum when there is none), as [B] vectors.
 */
export function hardestPairDistances(distances: tf.Tensor2D, same: tf.Tensor2D): { hardestPositive: tf.Tensor1D; hardestNegative: tf.Tensor1D } {
  return tf.tidy(() => {
    const positiveMask = tf.sub(same, tf.eye(same.shape[0]));
    const hardestPositive = maxSelectingOne(tf.mul(positiveMask, distances)) as tf.Tensor1D;
    const rowMax = tf.expandDims(maxSelectingOne(distances), 1);
    // Same-class entries (and the anchor itself) are lifted by the row maximum so the minimum is a negative.
    const hardestNegative = minSelectingOne(tf.add(distances, tf.mul(rowMax, same))) as tf.Tensor1D;
    return { hardestPositive, hardestNegative };
  });
}

export function batchTripletCatalogEntry(name: string, summary: string): LossCatalogEntry {
  return {
    name,
    category: 'standard',
    formats: [{ texts: 'single', labels: 'class' }],
    commonlyUsed: false,
    inOverview: true,
    recommendedSampler: 'group_by_label',
    columns: { min: 1, max: 1 },
    summary,
  };
}
