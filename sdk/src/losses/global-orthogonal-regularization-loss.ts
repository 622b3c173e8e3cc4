// GlobalOrthogonalRegularizationLoss (GOR): spreads embeddings out by penalising a high mean and a high second
// moment of the similarities between unrelated inputs of the same column. Per column with S = sim(E, E), diagonal
// zeroed, B rows, d dimensions:
//   M1 = ΣS / (B(B−1)),  M2 = ΣS² / (B(B−1)),  mean term M1²,  second-moment term [M2 − 1/d]+
// Each term is aggregated over columns ('mean' or 'sum') and weighted:
//   gorMean = meanWeight · agg(M1²),  gorSecondMoment = secondMomentWeight · agg([M2 − 1/d]+)
// The reference returns the two terms as a dict and the trainer sums them: the functional core returns the sum,
// globalOrthogonalRegularizationParts the two terms (a term whose weight is 0 or null is absent).
//
// Arguments (defaults): similarityFct 'cos_sim', meanWeight 1, secondMomentWeight 1, aggregation 'mean'.
//
// | texts | labels |
// | any   | none   |
//
// Batch of one: there is no off-diagonal pair, the reference divides 0 by 0 (NaN); this is refused with an error.
// Sampler: default. Usually added to a main loss such as MultipleNegativesRankingLoss.
// Papers: Zhang et al. 2017, https://arxiv.org/abs/1708.06320 ; EmbeddingGemma, https://arxiv.org/abs/2509.20354
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { SentenceLoss, type Batch } from './loss';
import { getMatrixSimilarity, type MatrixSimilarityName } from './similarity';
import { checkBatchColumns, checkColumns, type ColumnExpectation } from './validate';

const COLUMNS: ColumnExpectation = { min: 1, max: null, format: 'any text columns' };

export interface GlobalOrthogonalRegularizationLossOptions {
  /** Default 'cos_sim'. */
  similarityFct?: MatrixSimilarityName;
  /** Weight of the mean term; 0 or null disables it. Default 1. */
  meanWeight?: number | null;
  /** Weight of the second-moment term; 0 or null disables it. Default 1. */
  secondMomentWeight?: number | null;
  /** How the per-column terms combine. Default 'mean'. */
  aggregation?: 'mean' | 'sum';
}

export interface GlobalOrthogonalRegularizationParts {
  gorMean?: tf.Scalar;
  gorSecondMoment?: tf.Scalar;
}

const NAME = 'GlobalOrthogonalRegularizationLoss';

function checkGorOptions(options: GlobalOrthogonalRegularizationLossOptions): void {
  const { meanWeight = 1, secondMomentWeight = 1, aggregation = 'mean' } = options;
  if (!meanWeight && !secondMomentWeight) throw new Error(`${NAME}: at least one of meanWeight or secondMomentWeight must be non-zero; got ${meanWeight} and ${secondMomentWeight}`);
  if (aggregation !== 'mean' && aggregation !== 'sum') throw new Error(`${NAME}: aggregation must be 'mean' or 'sum'; got '${aggregation}'`);
  getMatrixSimilarity(options.similarityFct ?? 'cos_sim', NAME);
}

/** The two weighted terms. */
export function globalOrthogonalRegularizationParts(
  embeddings: tf.Tensor2D[],
  labels?: tf.Tensor,
  options: GlobalOrthogonalRegularizationLossOptions = {},
): GlobalOrthogonalRegularizationParts {
  void labels;
  checkColumns(NAME, embeddings, COLUMNS);
  checkGorOptions(options);
  const batchSize = embeddings[0].shape[0];
  if (batchSize < 2) throw new Error(`${NAME} needs at least 2 rows per column (it averages over pairs of different rows); got ${batchSize}`);
  const { meanWeight = 1, secondMomentWeight = 1, aggregation = 'mean' } = options;
  const sim = getMatrixSimilarity(options.similarityFct ?? 'cos_sim', NAME);
  return tf.tidy(() => {
    const offDiagonal = tf.sub(1, tf.eye(batchSize));
    const pairs = batchSize * (batchSize - 1);
    const meanTerms: tf.Scalar[] = [];
    const secondMomentTerms: tf.Scalar[] = [];
    for (const e of embeddings) {
      const s = tf.mul(sim(e, e), offDiagonal); // the reference's fill_diagonal_(0): no gradient through the diagonal
      meanTerms.push(tf.square(tf.div(tf.sum(s), pairs)) as tf.Scalar);
      secondMomentTerms.push(tf.relu(tf.sub(tf.div(tf.sum(tf.square(s)), pairs), 1 / e.shape[1])) as tf.Scalar);
    }
    const aggregate = (terms: tf.Scalar[]) => (aggregation === 'sum' ? tf.addN(terms) : tf.div(tf.addN(terms), terms.length));
    const parts: GlobalOrthogonalRegularizationParts = {};
    if (meanWeight) parts.gorMean = tf.mul(aggregate(meanTerms), meanWeight) as tf.Scalar;
    if (secondMomentWeight) parts.gorSecondMoment = tf.mul(aggregate(secondMomentTerms), secondMomentWeight) as tf.Scalar;
    return parts as tf.NamedTensorMap;
  }) as GlobalOrthogonalRegularizationParts;
}

/** The sum of the two weighted terms, as the trainer adds them up. */
export function globalOrthogonalRegularizationLoss(
  embeddings: tf.Tensor2D[],
  labels?: tf.Tensor,
  options: GlobalOrthogonalRegularizationLossOptions = {},
): tf.Scalar {
  return tf.tidy(() => {
    const parts = globalOrthogonalRegularizationParts(embeddings, labels, options);
    return tf.addN(Object.values(parts).filter((t): t is tf.Scalar => t !== undefined)) as tf.Scalar;
  });
}

export class GlobalOrthogonalRegularizationLoss extends SentenceLoss {
  readonly name: string = NAME;
  readonly options: GlobalOrthogonalRegularizationLossOptions;

  constructor(model: SentenceTransformer, options: GlobalOrthogonalRegularizationLossOptions = {}) {
    super(model);
    checkGorOptions(options);
    this.options = { ...options };
  }

  override embedColumns(batch: Batch): tf.Tensor2D[] {
    checkBatchColumns(NAME, batch, COLUMNS);
    return super.embedColumns(batch);
  }

  computeFromEmbeddings(embeddings: tf.Tensor2D[]): tf.Scalar {
    return globalOrthogonalRegularizationLoss(embeddings, undefined, this.options);
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'regularization',
  formats: [{ texts: 'any', labels: 'none' }],
  commonlyUsed: false,
  inOverview: false,
  recommendedSampler: 'batch_sampler',
  columns: { min: 1, max: null },
  summary: 'Regulariser that spreads embeddings over the space (low mean and second moment of same-column similarities); add it to a main loss such as MultipleNegativesRankingLoss.',
};
