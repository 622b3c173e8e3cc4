// MultipleNegativesRankingLoss (MNRL, InfoNCE, in-batch negatives).
//
// Every anchor a_i is contrasted with every document of the batch: D = [p_1..p_B, n^1_1..n^1_B, ...,
// n^K_1..n^K_B] (column by column), and its own positive p_i is the target:
//   loss = mean_i [ lse_j(scale · sim(a_i, D_j)) − scale · sim(a_i, p_i) ]
// Optional extra logit blocks per row i (all × scale): query_to_query sim(a_i, a_j) (self = −inf),
// doc_to_query sim(a_j, p_i), doc_to_doc sim(D_k, p_i) (row i's own documents = −inf).
// partitionMode 'joint': one lse over all blocks; 'per_direction': one lse per block, averaged.
// Hardness weighting adds hardnessStrength · sg(sim(a_i, D_j)) (raw similarity, no gradient) to the selected
// query_to_doc logits after scaling: 'in_batch_negatives' = other rows' documents, 'hard_negatives' = row i's
// own negatives, 'all_negatives' = everything but the positive.
//
// Arguments (defaults = sentence-transformers v6): scale 20, similarityFct 'cos_sim', directions
// ['query_to_doc'], partitionMode 'joint', hardnessMode null, hardnessStrength 0.
//
// | texts                                            | labels |
// | (anchor, positive)                               | none   |
// | (anchor, positive, negative)                     | none   |
// | (anchor, positive, negative_1, ..., negative_n)  | none   |
//
// Batch of one: the only candidates are the row's own documents, so with pairs the loss is the CE of a
// single logit = 0 (finite, zero gradient), exactly as the reference.
// Sampler: no_duplicates (a repeated text is a false in-batch negative).
// Related: CachedMultipleNegativesRankingLoss (same numbers, batch size bounded by memory of one mini-batch),
// MultipleNegativesSymmetricRankingLoss (preset with doc_to_query), GISTEmbedLoss (guide drops false negatives).
// Paper: van den Oord et al. 2018, https://arxiv.org/abs/1807.03748 ; Henderson et al. 2017,
// https://arxiv.org/abs/1705.00652 ; hardness: Lan et al. 2025, https://arxiv.org/abs/2503.04812
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { stopGradient } from '../util/stop-gradient';
import type { LossCatalogEntry, LossFormat } from './catalog-types';
import { SentenceLoss, type Batch } from './loss';
import { getMatrixSimilarity, type MatrixSimilarityName } from './similarity';
import { checkBatchColumns, checkColumns, type ColumnExpectation } from './validate';

export type MnrlDirection = 'query_to_doc' | 'query_to_query' | 'doc_to_query' | 'doc_to_doc';
export type MnrlPartitionMode = 'joint' | 'per_direction';
export type MnrlHardnessMode = 'in_batch_negatives' | 'hard_negatives' | 'all_negatives';

export interface MultipleNegativesRankingLossOptions {
  /** Inverse temperature: logits = similarity × scale. Default 20. */
  scale?: number;
  /** Default 'cos_sim'. */
  similarityFct?: MatrixSimilarityName;
  /** Logit blocks; must contain 'query_to_doc'. Default ['query_to_doc']. */
  directions?: readonly MnrlDirection[];
  /** Default 'joint'. */
  partitionMode?: MnrlPartitionMode;
  /** Default null (no hardness weighting). */
  hardnessMode?: MnrlHardnessMode | null;
  /** α of the hardness penalty, ≥ 0. Default 0. */
  hardnessStrength?: number;
}

export type ResolvedMnrlOptions = Required<MultipleNegativesRankingLossOptions>;

export const MNRL_COLUMNS: ColumnExpectation = {
  min: 2,
  max: null,
  format: '(anchor, positive) pairs or (anchor, positive, negative_1, ..., negative_n) tuples',
};

const DIRECTIONS: readonly MnrlDirection[] = ['query_to_doc', 'query_to_query', 'doc_to_query', 'doc_to_doc'];
const HARDNESS_MODES: readonly MnrlHardnessMode[] = ['in_batch_negatives', 'hard_negatives', 'all_negatives'];

/** Defaults filled in and checked as the reference's constructor does; `lossName` names the loss in errors. */
export function resolveMnrlOptions(options: MultipleNegativesRankingLossOptions = {}, lossName = 'MultipleNegativesRankingLoss'): ResolvedMnrlOptions {
  const resolved: ResolvedMnrlOptions = {
    scale: options.scale ?? 20,
    similarityFct: options.similarityFct ?? 'cos_sim',
    directions: options.directions ?? ['query_to_doc'],
    partitionMode: options.partitionMode ?? 'joint',
    hardnessMode: options.hardnessMode ?? null,
    hardnessStrength: options.hardnessStrength ?? 0,
  };
  const { scale, directions, partitionMode, hardnessMode, hardnessStrength } = resolved;
  if (!(scale > 0)) throw new Error(`${lossName}: scale must be a positive number; got ${scale}`);
  getMatrixSimilarity(resolved.similarityFct, lossName);
  if (directions.length === 0) throw new Error(`${lossName}: directions must name at least one direction; got []`);
  const unknown = directions.filter((d) => !DIRECTIONS.includes(d));
  if (unknown.length > 0) throw new Error(`${lossName}: unknown directions ${unknown.map((d) => `'${d}'`).join(', ')}; valid: ${DIRECTIONS.join(', ')}`);
  if (!directions.includes('query_to_doc')) {
    throw new Error(`${lossName}: directions must include 'query_to_doc' (it holds the positive pair); got [${directions.join(', ')}]`);
  }
  if (partitionMode !== 'joint' && partitionMode !== 'per_direction') {
    throw new Error(`${lossName}: partitionMode must be 'joint' or 'per_direction'; got '${partitionMode}'`);
  }
  if (partitionMode === 'per_direction' && directions.some((d) => d === 'query_to_query' || d === 'doc_to_doc')) {
    throw new Error(
      `${lossName}: partitionMode 'per_direction' needs every direction's candidates to include the positive pair, ` +
        `which 'query_to_query' and 'doc_to_doc' never do; use partitionMode 'joint' with directions [${directions.join(', ')}]`,
    );
  }
  if (hardnessMode !== null && !HARDNESS_MODES.includes(hardnessMode)) {
    throw new Error(`${lossName}: hardnessMode must be null or one of ${HARDNESS_MODES.join(', ')}; got '${hardnessMode}'`);
  }
  if (!(hardnessStrength >= 0)) throw new Error(`${lossName}: hardnessStrength must be non-negative; got ${hardnessStrength}`);
  return resolved;
}

/** 1 where row i owns document column j of the stacked [B, B·nDocCols] candidates (its positive and its negatives). */
function ownDocumentMask(batchSize: number, docColumns: number): tf.Tensor2D {
  return tf.tidy(() => tf.tile(tf.eye(batchSize), [1, docColumns]) as tf.Tensor2D);
}

/** 1 where the hardness penalty applies to a query_to_doc logit; the positive is never penalised. */
function hardnessPenaltyMask(mode: MnrlHardnessMode, batchSize: number, docColumns: number): tf.Tensor2D {
  return tf.tidy(() => {
    const own = ownDocumentMask(batchSize, docColumns);
    const positives = tf.concat([tf.eye(batchSize), tf.zeros([batchSize, batchSize * (docColumns - 1)])], 1);
    if (mode === 'in_batch_negatives') return tf.sub(1, own) as tf.Tensor2D;
    if (mode === 'hard_negatives') return tf.sub(own, positives) as tf.Tensor2D;
    return tf.sub(1, positives) as tf.Tensor2D; // all_negatives
  });
}

/** Entries where `mask` is 1 become −inf: they drop out of the log-sum-exp and get no gradient. */
function maskToMinusInfinity(x: tf.Tensor2D, mask: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.where(tf.cast(mask, 'bool'), tf.fill(x.shape, -Infinity), x) as tf.Tensor2D);
}

/** The diagonal of the square [B, B] left block of a [B, ≥B] matrix (selected, not multiplied: −inf elsewhere is fine). */
export function leadingDiagonal(x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const b = x.shape[0];
    const square = tf.slice(x, [0, 0], [b, b]);
    return tf.sum(tf.where(tf.cast(tf.eye(b), 'bool'), square, tf.zerosLike(square)), 1) as tf.Tensor1D;
  });
}

/** MNRL from already-resolved options; `lossName` appears in errors (the presets and cached variants reuse it). */
export function mnrlFromResolved(embeddings: tf.Tensor2D[], options: ResolvedMnrlOptions, lossName: string): tf.Scalar {
  checkColumns(lossName, embeddings, MNRL_COLUMNS);
  const { scale, directions, partitionMode, hardnessMode, hardnessStrength } = options;
  const sim = getMatrixSimilarity(options.similarityFct, lossName);
  return tf.tidy(() => {
    const [queries, ...docs] = embeddings;
    const batchSize = queries.shape[0];
    const docsAll = docs.length === 1 ? docs[0] : (tf.concat(docs, 0) as tf.Tensor2D);
    const docsPos = docs[0];

    const queryToDocRaw = sim(queries, docsAll); // [B, B·nDocs]
    let queryToDoc = tf.mul(queryToDocRaw, scale) as tf.Tensor2D;
    if (hardnessMode !== null && hardnessStrength > 0) {
      // Lan et al. Eq. 5: α · sg(raw similarity) on the selected negatives, added after scaling.
      const penalty = tf.mul(tf.mul(stopGradient(queryToDocRaw), hardnessStrength), hardnessPenaltyMask(hardnessMode, batchSize, docs.length));
      queryToDoc = tf.add(queryToDoc, penalty) as tf.Tensor2D;
    }
    const blocks: tf.Tensor2D[] = [queryToDoc];
    if (directions.includes('query_to_query')) {
      blocks.push(maskToMinusInfinity(tf.mul(sim(queries, queries), scale) as tf.Tensor2D, tf.eye(batchSize) as tf.Tensor2D));
    }
    if (directions.includes('doc_to_query')) {
      blocks.push(tf.mul(tf.transpose(sim(queries, docsPos)), scale) as tf.Tensor2D);
    }
    if (directions.includes('doc_to_doc')) {
      const docToDoc = tf.mul(tf.transpose(sim(docsAll, docsPos)), scale) as tf.Tensor2D;
      blocks.push(maskToMinusInfinity(docToDoc, ownDocumentMask(batchSize, docs.length)));
    }

    const positiveScores = leadingDiagonal(queryToDoc);
    const logPartition =
      partitionMode === 'joint'
        ? tf.logSumExp(blocks.length === 1 ? blocks[0] : tf.concat(blocks, 1), 1)
        : tf.div(tf.addN(blocks.map((b) => tf.logSumExp(b, 1))), blocks.length);
    return tf.mean(tf.sub(logPartition, positiveScores)) as tf.Scalar;
  });
}

/**
 * MultipleNegativesRankingLoss on embeddings [anchor, positive, negative_1..negative_n] (each [B, d]).
 * Labels are ignored.
 */
export function multipleNegativesRankingLoss(
  embeddings: tf.Tensor2D[],
  labels?: tf.Tensor,
  options: MultipleNegativesRankingLossOptions = {},
): tf.Scalar {
  void labels;
  return mnrlFromResolved(embeddings, resolveMnrlOptions(options), 'MultipleNegativesRankingLoss');
}

export class MultipleNegativesRankingLoss extends SentenceLoss {
  readonly name: string = 'MultipleNegativesRankingLoss';
  readonly options: ResolvedMnrlOptions;

  constructor(model: SentenceTransformer, options: MultipleNegativesRankingLossOptions = {}) {
    super(model);
    this.options = resolveMnrlOptions(options, new.target.name);
    if (this.options.hardnessMode !== null && this.options.hardnessStrength === 0 && process.env.SENTENCE_TFJS_QUIET !== '1') {
      // As the reference's logger.warning: the mode alone changes nothing.
      process.stderr.write(`sentence-tfjs: ${new.target.name}: hardnessMode '${this.options.hardnessMode}' has no effect with hardnessStrength 0\n`);
    }
  }

  computeFromEmbeddings(embeddings: tf.Tensor2D[]): tf.Scalar {
    return mnrlFromResolved(embeddings, this.options, this.name);
  }

  override embedColumns(batch: Batch): tf.Tensor2D[] {
    checkBatchColumns(this.name, batch, MNRL_COLUMNS);
    return super.embedColumns(batch);
  }
}

/** Pairs, triplets and n-tuples without labels: the formats of MNRL and its cached / guided variants. */
export const IN_BATCH_NEGATIVES_FORMATS: LossFormat[] = [
  { texts: 'anchor-positive', labels: 'none' },
  { texts: 'anchor-positive-negative', labels: 'none' },
  { texts: 'anchor-positive-negatives', labels: 'none' },
];

export const catalogEntry: LossCatalogEntry = {
  name: 'MultipleNegativesRankingLoss',
  category: 'standard',
  formats: IN_BATCH_NEGATIVES_FORMATS,
  commonlyUsed: true,
  inOverview: true,
  recommendedSampler: 'no_duplicates',
  columns: { min: 2, max: null },
  summary: 'InfoNCE with in-batch negatives: each anchor must pick its positive among all documents of the batch; the default choice for (anchor, positive[, negatives]) data.',
};
