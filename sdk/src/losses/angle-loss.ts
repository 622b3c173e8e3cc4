// AnglELoss: CoSENT on the angle similarity, which keeps a gradient where the cosine saturates. The halves of
// an embedding are the real and imaginary parts of a complex vector; for x = (a, b), y = (c, d):
//   angle_sim(x, y) = |Σ_k (a_k c_k + b_k d_k) + Σ_k (b_k c_k − a_k d_k)| / (‖x‖‖y‖)   (odd dim: zero-padded by one)
//   s_i = scale · angle_sim(u_i, v_i),   loss = log(1 + Σ_{label_i < label_j} exp(s_i − s_j))
// n-tuples (anchor, positive, negative_1..negative_K): flattened into (anchor, positive) pairs with the given
// labels (1 when there are none) and (anchor, negative_k) pairs with 1 − label, then CoSENT on all of them.
//
// Arguments (defaults = sentence-transformers v6): scale 20 (the similarity is always pairwise_angle_sim).
//
// | texts                                            | labels                         |
// | (sentence_A, sentence_B)                         | float similarity score         |
// | (anchor, positive, negative_1, ..., negative_n)  | none, or a score for the positive |
//
// Sampler: default. Related: CoSENTLoss (the same with cosine), CosineSimilarityLoss.
// Paper: Li & Li 2023, AnglE-optimized Text Embeddings, https://arxiv.org/abs/2309.12871
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { COSENT_LABELS, cosentFromScores } from './cosent-loss';
import { FunctionalCoreLoss } from './functional-core-loss';
import { pairwiseAngleSim } from './similarity';
import { checkColumns, checkLabelVector, type ColumnExpectation } from './validate';

export interface AnglELossOptions {
  /** Inverse temperature: s = angle_sim × scale. Default 20. */
  scale?: number;
}

const NAME = 'AnglELoss';
const COLUMNS: ColumnExpectation = { min: 2, max: null, format: '(sentence_A, sentence_B) pairs or (anchor, positive, negative_1, ..., negative_n) tuples' };

function resolveScale(options: AnglELossOptions): number {
  const scale = options.scale ?? 20;
  if (!Number.isFinite(scale)) throw new Error(`${NAME}: scale must be a finite number; got ${scale}`);
  return scale;
}

/** AnglELoss on embeddings [sentence_A, sentence_B] with labels [B], or [anchor, positive, negatives...] with optional labels. */
export function angleLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: AnglELossOptions = {}): tf.Scalar {
  const scale = resolveScale(options);
  checkColumns(NAME, embeddings, COLUMNS);
  const rows = embeddings[0].shape[0];
  const others = embeddings.length - 1;
  const y = others === 1 || labels !== undefined ? checkLabelVector(NAME, labels, rows, COSENT_LABELS) : undefined;
  return tf.tidy(() => {
    const given = y ? (tf.reshape(y, [-1]) as tf.Tensor1D) : (tf.ones([rows]) as tf.Tensor1D);
    // Column by column: (anchor, positive) with the labels, then (anchor, negative_k) with 1 − label each.
    const anchors = others === 1 ? embeddings[0] : (tf.tile(embeddings[0], [others, 1]) as tf.Tensor2D);
    const candidates = others === 1 ? embeddings[1] : (tf.concat(embeddings.slice(1), 0) as tf.Tensor2D);
    const pairLabels = others === 1 ? given : (tf.concat([given, ...Array.from({ length: others - 1 }, () => tf.sub(1, given))]) as tf.Tensor1D);
    return cosentFromScores(tf.mul(pairwiseAngleSim(anchors, candidates), scale) as tf.Tensor1D, pairLabels);
  });
}

export class AnglELoss extends FunctionalCoreLoss<Required<AnglELossOptions>> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: AnglELossOptions = {}) {
    super(model, { scale: resolveScale(options) }, COLUMNS, angleLoss);
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'standard',
  formats: [{ texts: 'pair', labels: 'float' }],
  commonlyUsed: true,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 2, max: null },
  summary: 'CoSENT on the angle similarity of complex-valued halves, which avoids the saturated zones of the cosine; pairs with float scores (also (anchor, positive, negatives) tuples).',
};
