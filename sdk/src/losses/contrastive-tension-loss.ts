// ContrastiveTensionLoss (CT): two independent towers score a pair of texts by the dot product of their
// embeddings; identical texts should score high, different texts low:
//   s_i = model1(A_i) · model2(B_i),   loss = Σ_i BCEWithLogits(s_i, y_i)    (a sum over the batch, not a mean)
// y_i = 1 when A_i and B_i are the same text, else 0. Without labels the class derives them by comparing the
// two texts' non-padded token ids, as the reference does; the functional core needs them.
//
// Towers: model1 is a deep copy of the model made at construction (model.clone()), model2 is the model itself
// (the one kept for inference). Both are trained, as in sentence-transformers (both are in the loss module);
// trainableWeights() lists both and dispose() frees model1.
//
// Arguments: none.
//
// | texts              | labels                                  |
// | (text_A, text_B)   | none (derived) or 1 identical / 0 other |
//
// Data: single sentences made into pairs, classically 1 identical + 7 different pairs per 8 rows.
// Sampler: default. Related: ContrastiveTensionLossInBatchNegatives (stronger signal, one column).
// Paper: Carlsson et al. 2021, Semantic Re-tuning with Contrastive Tension, https://openreview.net/forum?id=Ov_sMNau-PF
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { SentenceLoss, type Batch } from './loss';
import { checkBatchColumns, checkColumns, checkLabelRows, requireLabels, type ColumnExpectation } from './validate';

const COLUMNS: ColumnExpectation = { min: 2, max: 2, format: '(text_A, text_B) pairs embedded by model1 and model2' };

/** BCEWithLogits summed over rows, in the overflow-free form max(x, 0) − x·y + log(1 + e^−|x|). */
function bceWithLogitsSum(logits: tf.Tensor1D, targets: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.add(tf.sub(tf.relu(logits), tf.mul(logits, targets)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))))) as tf.Scalar);
}

export function contrastiveTensionLoss(embeddings: tf.Tensor2D[], labels?: tf.Tensor): tf.Scalar {
  const name = 'ContrastiveTensionLoss';
  checkColumns(name, embeddings, COLUMNS);
  const y = requireLabels(name, labels, '1 if the two texts are identical, 0 otherwise');
  checkLabelRows(name, y, embeddings[0].shape[0], '1 if the two texts are identical, 0 otherwise');
  return tf.tidy(() => {
    const [a, b] = embeddings;
    const scores = tf.sum(tf.mul(a, b), 1) as tf.Tensor1D;
    return bceWithLogitsSum(scores, tf.cast(tf.reshape(y, [-1]), 'float32') as tf.Tensor1D);
  });
}

/** 1 where the two texts tokenize to the same non-padded token ids (the reference's label rule). */
export function identicalTokenLabels(model: SentenceTransformer, textsA: readonly string[], textsB: readonly string[]): tf.Tensor1D {
  const ids = (texts: readonly string[]): number[][] => {
    const f = model.tokenize(texts);
    const [inputIds, mask] = [f.inputIds.arraySync(), f.attentionMask.arraySync()];
    tf.dispose([f.inputIds, f.attentionMask]);
    return inputIds.map((row, i) => row.filter((_, j) => mask[i][j] !== 0));
  };
  const [a, b] = [ids(textsA), ids(textsB)];
  return tf.tensor1d(a.map((row, i) => (row.length === b[i].length && row.every((t, j) => t === b[i][j]) ? 1 : 0)), 'float32');
}

export class ContrastiveTensionLoss extends SentenceLoss {
  readonly name: string = 'ContrastiveTensionLoss';
  /** The copy that embeds column A; trained, then discarded. */
  readonly model1: SentenceTransformer;

  constructor(model: SentenceTransformer) {
    super(model);
    this.model1 = model.clone();
  }

  /** The model itself, which embeds column B and is kept for inference. */
  get model2(): SentenceTransformer {
    return this.model;
  }

  computeFromEmbeddings(embeddings: tf.Tensor2D[], labels?: tf.Tensor): tf.Scalar {
    return contrastiveTensionLoss(embeddings, labels);
  }

  override embedColumns(batch: Batch): tf.Tensor2D[] {
    checkBatchColumns(this.name, batch, COLUMNS);
    return [this.model1.embed(batch.columns[0], { training: true }), this.model2.embed(batch.columns[1], { training: true })];
  }

  override forward(batch: Batch): tf.Scalar {
    const embeddings = this.embedColumns(batch);
    if (batch.labels) return this.computeFromEmbeddings(embeddings, batch.labels);
    const labels = identicalTokenLabels(this.model, batch.columns[0], batch.columns[1]);
    try {
      return this.computeFromEmbeddings(embeddings, labels);
    } finally {
      labels.dispose();
    }
  }

  override trainableWeights(): tf.Variable[] {
    return [...this.model1.trainableWeights(), ...this.model2.trainableWeights()];
  }

  override dispose(): void {
    this.model1.dispose();
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: 'ContrastiveTensionLoss',
  category: 'standard',
  formats: [{ texts: 'single', labels: 'none' }],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 2, max: 2 },
  summary: 'Unsupervised: two towers must give identical texts a high dot product and different texts a low one (binary cross-entropy); single sentences paired as (text, same or other text).',
};
