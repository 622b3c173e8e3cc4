// ContrastiveTensionLossInBatchNegatives: both towers embed the same text column; each text's model1
// embedding must pick its own model2 embedding among the batch, and the other way round:
//   S = sim(E1, E2) · exp(logitScale),   loss = ½ [CE(S, i) + CE(Sᵀ, i)]
// The scale is trainable: the loss owns logitScale, initialised to ln(scale) (trainableWeights() adds it).
// Towers as ContrastiveTensionLoss: model1 = model.clone() at construction, model2 = the model; both train.
//
// Arguments (defaults): scale 20 (initial value), similarityFct 'cos_sim'.
// The functional core takes embeddings [model1(x), model2(x)] and options.logitScale (a scalar tensor, for its
// gradient) or options.scale.
//
// | texts                                   | labels |
// | single sentences (one column)           | none   |
// | (anchor, anchor) pairs: first column used | none |
//
// Batch of one: CE over a single logit, loss 0 (as the reference). Sampler: default (larger batches help).
// Related: ContrastiveTensionLoss (pairs, BCE), MultipleNegativesRankingLoss (supervised pairs).
// Paper: Carlsson et al. 2021, https://openreview.net/forum?id=Ov_sMNau-PF
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { SentenceLoss, type Batch } from './loss';
import { leadingDiagonal } from './multiple-negatives-ranking-loss';
import { getMatrixSimilarity, type MatrixSimilarityName } from './similarity';
import { checkBatchColumns, checkColumns } from './validate';

export interface ContrastiveTensionLossInBatchNegativesOptions {
  /** Initial exp(logitScale). Default 20. */
  scale?: number;
  /** Default 'cos_sim'. */
  similarityFct?: MatrixSimilarityName;
}

export interface ContrastiveTensionLossInBatchNegativesFunctionalOptions extends ContrastiveTensionLossInBatchNegativesOptions {
  /** The trainable log-scale; overrides `scale` (logits × exp(logitScale)). */
  logitScale?: tf.Scalar;
}

const NAME = 'ContrastiveTensionLossInBatchNegatives';

export function contrastiveTensionLossInBatchNegatives(
  embeddings: tf.Tensor2D[],
  labels?: tf.Tensor,
  options: ContrastiveTensionLossInBatchNegativesFunctionalOptions = {},
): tf.Scalar {
  void labels;
  checkColumns(NAME, embeddings, { min: 2, max: 2, format: 'the embeddings [model1(x), model2(x)] of one text column' });
  const sim = getMatrixSimilarity(options.similarityFct ?? 'cos_sim', NAME);
  const scale = options.scale ?? 20;
  if (!options.logitScale && !(scale > 0)) throw new Error(`${NAME}: scale must be a positive number; got ${scale}`);
  return tf.tidy(() => {
    const factor = options.logitScale ? tf.exp(options.logitScale) : tf.scalar(scale);
    const scores = tf.mul(sim(embeddings[0], embeddings[1]), factor) as tf.Tensor2D;
    const forward = tf.mean(tf.sub(tf.logSumExp(scores, 1), leadingDiagonal(scores)));
    const backward = tf.mean(tf.sub(tf.logSumExp(scores, 0), leadingDiagonal(scores)));
    return tf.div(tf.add(forward, backward), 2) as tf.Scalar;
  });
}

export class ContrastiveTensionLossInBatchNegatives extends SentenceLoss {
  readonly name: string = NAME;
  readonly model1: SentenceTransformer;
  /** ln(scale), trained with the towers. */
  readonly logitScale: tf.Variable<tf.Rank.R0>;
  readonly similarityFct: MatrixSimilarityName;

  constructor(model: SentenceTransformer, options: ContrastiveTensionLossInBatchNegativesOptions = {}) {
    super(model);
    const scale = options.scale ?? 20;
    if (!(scale > 0)) throw new Error(`${NAME}: scale must be a positive number; got ${scale}`);
    this.similarityFct = options.similarityFct ?? 'cos_sim';
    getMatrixSimilarity(this.similarityFct, NAME);
    this.model1 = model.clone();
    this.logitScale = tf.variable(tf.scalar(Math.log(scale)), true) as tf.Variable<tf.Rank.R0>;
  }

  get model2(): SentenceTransformer {
    return this.model;
  }

  /** The current exp(logitScale). */
  get scale(): number {
    return Math.exp(this.logitScale.dataSync()[0]);
  }

  computeFromEmbeddings(embeddings: tf.Tensor2D[]): tf.Scalar {
    return contrastiveTensionLossInBatchNegatives(embeddings, undefined, { similarityFct: this.similarityFct, logitScale: this.logitScale });
  }

  override embedColumns(batch: Batch): tf.Tensor2D[] {
    checkBatchColumns(NAME, batch, { min: 1, max: 2, format: 'one text column (or (anchor, anchor) pairs: the first column is used)' });
    const texts = batch.columns[0];
    return [this.model1.embed(texts, { training: true }), this.model2.embed(texts, { training: true })];
  }

  override trainableWeights(): tf.Variable[] {
    return [...this.model1.trainableWeights(), ...this.model2.trainableWeights(), this.logitScale];
  }

  override dispose(): void {
    this.model1.dispose();
    this.logitScale.dispose();
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'standard',
  formats: [
    { texts: 'single', labels: 'none' },
    { texts: 'anchor-anchor', labels: 'none' },
  ],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 1, max: 2 },
  summary: 'Unsupervised: each text embedded by two towers must recognise itself among the batch (symmetric in-batch CE with a trainable scale); better signal than ContrastiveTensionLoss.',
};
