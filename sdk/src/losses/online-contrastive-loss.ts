// OnlineContrastiveLoss: ContrastiveLoss on the hard pairs of the batch only. With P = distances of the label-1
// pairs and N = distances of the label-0 pairs:
//   hard negatives: N entries strictly below max(P)   (below mean(N) when P has ≤ 1 element)
//   hard positives: P entries strictly above min(N)   (above mean(P) when N has ≤ 1 element)
//   loss = Σ_hard-pos d² + Σ_hard-neg [margin − d]+²        (a sum: no ½, no averaging)
// The thresholds carry no gradient (they only select pairs). Labels other than 0 and 1 are ignored (warning).
// Distances as ContrastiveLoss (SiameseDistanceMetric).
//
// Arguments (defaults = sentence-transformers v6): distanceMetric 'COSINE_DISTANCE', margin 0.5.
//
// | texts             | labels                          |
// | (anchor, other)   | 1 if similar, 0 if dissimilar   |
//
// Sampler: default. Related: ContrastiveLoss (all pairs), MultipleNegativesRankingLoss (positives only).
// Reference: sentence-transformers' OnlineContrastiveLoss (hard-pair mining after Hadsell et al. 2006).
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { stopGradient } from '../util/stop-gradient';
import type { LossCatalogEntry } from './catalog-types';
import { BINARY_LABELS, CONTRASTIVE_COLUMNS, checkDistanceMetric, siameseDistance, type SiameseDistanceMetric } from './contrastive-loss';
import { warnOnceIfNotBinary } from './label-warnings';
import { FunctionalCoreLoss } from './functional-core-loss';
import { greaterMask } from './masks';
import { checkColumns, checkLabelVector } from './validate';

export interface OnlineContrastiveLossOptions {
  /** Default 'COSINE_DISTANCE'. */
  distanceMetric?: SiameseDistanceMetric;
  /** Default 0.5. */
  margin?: number;
}

const NAME = 'OnlineContrastiveLoss';

function resolveOptions(options: OnlineContrastiveLossOptions): Required<OnlineContrastiveLossOptions> {
  const resolved = { distanceMetric: checkDistanceMetric(options.distanceMetric ?? 'COSINE_DISTANCE', NAME), margin: options.margin ?? 0.5 };
  if (!Number.isFinite(resolved.margin)) throw new Error(`${NAME}: margin must be a finite number; got ${resolved.margin}`);
  return resolved;
}

/** Σ mask·d / Σ mask, 0 for an empty mask (the value is then never used). Not divNoNan: its internal tf.equal has no gradient. */
function maskedMean(d: tf.Tensor1D, mask: tf.Tensor1D, count: tf.Scalar): tf.Scalar {
  return tf.div(tf.sum(tf.mul(d, mask)), tf.maximum(count, 1)) as tf.Scalar;
}

/** OnlineContrastiveLoss on embeddings [anchor, other] (each [B, d]) and labels [B] (1 similar, 0 dissimilar). */
export function onlineContrastiveLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: OnlineContrastiveLossOptions = {}): tf.Scalar {
  const { distanceMetric, margin } = resolveOptions(options);
  checkColumns(NAME, embeddings, CONTRASTIVE_COLUMNS);
  const y = checkLabelVector(NAME, labels, embeddings[0].shape[0], BINARY_LABELS);
  return tf.tidy(() => {
    const labelVector = tf.reshape(y, [-1]);
    warnOnceIfNotBinary(NAME, labelVector, 'those pairs are ignored');
    const isPositive = tf.cast(tf.equal(labelVector, 1), 'float32') as tf.Tensor1D;
    const isNegative = tf.cast(tf.equal(labelVector, 0), 'float32') as tf.Tensor1D;
    const positives = tf.sum(isPositive) as tf.Scalar;
    const negatives = tf.sum(isNegative) as tf.Scalar;
    const d = siameseDistance(distanceMetric, embeddings[0], embeddings[1]);

    // Thresholds from detached distances: they select pairs and never receive a gradient.
    const frozen = stopGradient(d);
    const maxPositive = tf.max(tf.where(tf.cast(isPositive, 'bool'), frozen, tf.fill(frozen.shape, -Infinity)));
    const minNegative = tf.min(tf.where(tf.cast(isNegative, 'bool'), frozen, tf.fill(frozen.shape, Infinity)));
    const negativeThreshold = tf.where(tf.greater(positives, 1), maxPositive, maskedMean(frozen, isNegative, negatives));
    const positiveThreshold = tf.where(tf.greater(negatives, 1), minNegative, maskedMean(frozen, isPositive, positives));
    const hardNegative = tf.mul(isNegative, greaterMask(negativeThreshold, d));
    const hardPositive = tf.mul(isPositive, greaterMask(d, positiveThreshold));

    const positiveLoss = tf.sum(tf.mul(hardPositive, tf.square(d)));
    const negativeLoss = tf.sum(tf.mul(hardNegative, tf.square(tf.relu(tf.sub(margin, d)))));
    return tf.add(positiveLoss, negativeLoss) as tf.Scalar;
  });
}

export class OnlineContrastiveLoss extends FunctionalCoreLoss<Required<OnlineContrastiveLossOptions>> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: OnlineContrastiveLossOptions = {}) {
    super(model, resolveOptions(options), CONTRASTIVE_COLUMNS, onlineContrastiveLoss);
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
  summary: 'ContrastiveLoss on the hard pairs of each batch only (positives farther than the closest negative, negatives closer than the farthest positive); often better than ContrastiveLoss for 1/0 pairs.',
};
