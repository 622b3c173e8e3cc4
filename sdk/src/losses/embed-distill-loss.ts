// EmbedDistillLoss: pulls the student's embedding of every text column towards a teacher embedding (the label).
// Per column c, with student rows s_i (optionally through a trainable linear projection) and teacher rows t_i:
//   'cosine' (default): mean_i (1 − cos(s_i, t_i))      'mse': mean over all B·d entries of (s − t)²
//   'l2':               mean_i ‖s_i − t_i‖₂
//   loss = mean over columns
// Labels [B, d_t] are the target of every column (multilingual distillation: a sentence and its translation
// both pulled to the teacher's embedding of the source); [B, n_columns, d_t] give one target per column.
// MSELoss is this loss with 'mse'.
//
// Arguments (defaults = sentence-transformers v6): distanceMetric 'cosine' ('mse', 'l2'), projectionDim null
// (a number adds a loss-owned nn.Linear(d, projectionDim), PyTorch init, seed 42, for a teacher of another size).
// The functional core takes the projection as options.weight [projectionDim, d] (torch layout) and options.bias.
//
// | texts                       | labels                              |
// | single sentences (1+ cols)  | teacher sentence embeddings         |
//
// Sampler: default. Related: MSELoss (the 'mse' preset), MarginMSELoss and DistillKLDivLoss (distil scores
// instead of embeddings).
// Paper: Kim et al. 2023, EmbedDistill, https://arxiv.org/abs/2301.12005
import * as tf from '@tensorflow/tfjs';
import { Dense } from '../modules/dense';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { SentenceLoss, type Batch } from './loss';
import { sqrtZeroGradAtZero } from './masks';
import { pairwiseTorchCosineSimilarity } from './similarity';
import { checkBatchColumns, checkColumns, requireLabels, type ColumnExpectation } from './validate';

export type EmbedDistillDistanceMetric = 'mse' | 'cosine' | 'l2';
const METRICS: readonly EmbedDistillDistanceMetric[] = ['mse', 'cosine', 'l2'];

export interface EmbedDistillLossOptions {
  /** Default 'cosine'. */
  distanceMetric?: EmbedDistillDistanceMetric;
  /** Output size of a trainable projection applied to the student embeddings; null (default) = none. */
  projectionDim?: number | null;
}

/** The projection for the functional core: torch layout, y = x · weightᵀ + bias. */
export interface ProjectionWeights {
  weight?: tf.Tensor2D;
  bias?: tf.Tensor1D;
}

export interface EmbedDistillLossFunctionalOptions extends EmbedDistillLossOptions, ProjectionWeights {}

export interface EmbedDistillLossClassOptions extends EmbedDistillLossOptions {
  /** Seed of the projection's initialisation. Default 42. */
  seed?: number;
}

export const EMBED_DISTILL_COLUMNS: ColumnExpectation = { min: 1, max: null, format: 'one or more text columns' };

export function checkEmbedDistillMetric(metric: string, lossName: string): EmbedDistillDistanceMetric {
  if (!(METRICS as readonly string[]).includes(metric)) throw new Error(`${lossName}: distanceMetric must be one of ${METRICS.join(', ')}; got '${metric}'`);
  return metric as EmbedDistillDistanceMetric;
}

export function checkProjectionDim(projectionDim: number | null | undefined, lossName: string): number | null {
  if (projectionDim === undefined || projectionDim === null) return null;
  if (!Number.isInteger(projectionDim) || projectionDim < 1) throw new Error(`${lossName}: projectionDim must be a positive integer or null; got ${projectionDim}`);
  return projectionDim;
}

/** One teacher matrix [B, d_t] per column, from labels [B, d_t] (shared) or [B, n_columns, d_t]; errors name the loss. */
function teacherTargets(lossName: string, labels: tf.Tensor | undefined, columns: number, rows: number, studentDim: number): tf.Tensor2D[] {
  const what = `teacher embeddings: [${rows}, ${studentDim}] (one target for every column) or [${rows}, ${columns}, ${studentDim}] (one per column)`;
  const y = requireLabels(lossName, labels, what);
  const shapeOk = (y.rank === 2 && y.shape[0] === rows && y.shape[1] === studentDim) || (y.rank === 3 && y.shape[0] === rows && y.shape[1] === columns && y.shape[2] === studentDim);
  if (!shapeOk) throw new Error(`${lossName} expects labels = ${what}; got shape [${y.shape.join(', ')}]`);
  return tf.tidy(() => {
    const t = tf.cast(y, 'float32');
    if (t.rank === 2) return Array.from({ length: columns }, () => t.clone() as tf.Tensor2D);
    return tf.unstack(t, 1) as tf.Tensor2D[];
  });
}

/** The core shared with MSELoss; `lossName` appears in errors. */
export function embedDistillFromResolved(
  lossName: string,
  embeddings: tf.Tensor2D[],
  labels: tf.Tensor | undefined,
  metric: EmbedDistillDistanceMetric,
  projection: ProjectionWeights & { projectionDim: number | null },
): tf.Scalar {
  checkColumns(lossName, embeddings, EMBED_DISTILL_COLUMNS);
  const { weight, bias, projectionDim } = projection;
  const d = embeddings[0].shape[1];
  if (projectionDim !== null && !weight) throw new Error(`${lossName}: projectionDim ${projectionDim} needs the projection as options.weight [${projectionDim}, ${d}] and options.bias [${projectionDim}]`);
  if (weight) {
    const out = projectionDim ?? weight.shape[0];
    if (weight.rank !== 2 || weight.shape[0] !== out || weight.shape[1] !== d) throw new Error(`${lossName}: projection weight must have shape [${out}, ${d}]; got [${weight.shape.join(', ')}]`);
    if (bias && (bias.rank !== 1 || bias.shape[0] !== out)) throw new Error(`${lossName}: projection bias must have shape [${out}]; got [${bias.shape.join(', ')}]`);
  }
  const studentDim = weight ? weight.shape[0] : d;
  const targets = teacherTargets(lossName, labels, embeddings.length, embeddings[0].shape[0], studentDim);
  return tf.tidy(() => {
    const perColumn = embeddings.map((e, c) => {
      let student: tf.Tensor2D = e;
      if (weight) student = tf.matMul(e, weight, false, true);
      if (weight && bias) student = tf.add(student, bias);
      const teacher = targets[c];
      if (metric === 'mse') return tf.mean(tf.square(tf.sub(student, teacher)));
      if (metric === 'l2') return tf.mean(sqrtZeroGradAtZero(tf.sum(tf.square(tf.sub(student, teacher)), 1)));
      return tf.mean(tf.sub(1, pairwiseTorchCosineSimilarity(student, teacher)));
    });
    tf.dispose(targets);
    return tf.mean(tf.stack(perColumn)) as tf.Scalar;
  });
}

const NAME = 'EmbedDistillLoss';

/** EmbedDistillLoss on embeddings of every text column (each [B, d]) and teacher embeddings as labels. */
export function embedDistillLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: EmbedDistillLossFunctionalOptions = {}): tf.Scalar {
  const metric = checkEmbedDistillMetric(options.distanceMetric ?? 'cosine', NAME);
  return embedDistillFromResolved(NAME, embeddings, labels, metric, { ...options, projectionDim: checkProjectionDim(options.projectionDim, NAME) });
}

export class EmbedDistillLoss extends SentenceLoss {
  readonly name: string = NAME;
  readonly distanceMetric: EmbedDistillDistanceMetric;
  /** The loss-owned projection (identity activation) when projectionDim is set. */
  readonly projection: Dense | undefined;

  constructor(model: SentenceTransformer, options: EmbedDistillLossClassOptions = {}) {
    super(model);
    const lossName = new.target.name;
    this.distanceMetric = checkEmbedDistillMetric(options.distanceMetric ?? 'cosine', lossName);
    const projectionDim = checkProjectionDim(options.projectionDim, lossName);
    this.projection =
      projectionDim === null
        ? undefined
        : new Dense({ inFeatures: model.getSentenceEmbeddingDimension(), outFeatures: projectionDim, activation: 'identity', seed: options.seed ?? 42 });
  }

  computeFromEmbeddings(embeddings: tf.Tensor2D[], labels?: tf.Tensor): tf.Scalar {
    return tf.tidy(() => {
      const p = this.projection;
      const projection = p
        ? { projectionDim: p.options.outFeatures, weight: tf.transpose(p.kernel) as tf.Tensor2D, bias: p.bias as tf.Tensor1D | undefined }
        : { projectionDim: null };
      return embedDistillFromResolved(this.name, embeddings, labels, this.distanceMetric, projection);
    });
  }

  override embedColumns(batch: Batch): tf.Tensor2D[] {
    checkBatchColumns(this.name, batch, EMBED_DISTILL_COLUMNS);
    return super.embedColumns(batch);
  }

  override trainableWeights(): tf.Variable[] {
    return [...this.model.trainableWeights(), ...(this.projection?.trainableWeights() ?? [])];
  }

  override dispose(): void {
    this.projection?.dispose();
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'distillation',
  formats: [{ texts: 'single', labels: 'embeddings' }],
  commonlyUsed: false,
  inOverview: false,
  recommendedSampler: 'batch_sampler',
  columns: { min: 1, max: null },
  summary: "Distils a teacher's sentence embeddings into the student by cosine (default), MSE or L2 distance, with an optional projection when the sizes differ.",
};
