// MSELoss: the student's embedding of every text column should equal the teacher's embedding (the label):
//   per column: mean over all B·d entries of (s − t)²,   loss = mean over columns
// (equal to the older "concatenate the columns, repeat the labels" form for [B, d] labels). This is
// EmbedDistillLoss with distanceMetric 'mse'. Multilingual distillation: columns (source, translation) with the
// teacher's embedding of the source as the label pull both towards it.
//
// Arguments (defaults = sentence-transformers v6): projectionDim null (a number adds a loss-owned
// nn.Linear(d, projectionDim), PyTorch init, seed 42). Functional core: options.weight [projectionDim, d], options.bias.
//
// | texts                                   | labels                                     |
// | single sentences                        | model sentence embeddings [B, d]           |
// | (source, translation, ...) columns      | [B, d] shared, or [B, n_columns, d]        |
//
// Sampler: default. Related: EmbedDistillLoss (cosine / L2 distances), MarginMSELoss (distil score margins).
// Paper: Reimers & Gurevych 2020, Making Monolingual Sentence Embeddings Multilingual using Knowledge
// Distillation, https://arxiv.org/abs/2004.09813
import type * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { EmbedDistillLoss, checkProjectionDim, embedDistillFromResolved, type ProjectionWeights } from './embed-distill-loss';

export interface MSELossOptions {
  /** Output size of a trainable projection applied to the student embeddings; null (default) = none. */
  projectionDim?: number | null;
}

export interface MSELossFunctionalOptions extends MSELossOptions, ProjectionWeights {}

export interface MSELossClassOptions extends MSELossOptions {
  /** Seed of the projection's initialisation. Default 42. */
  seed?: number;
}

const NAME = 'MSELoss';

/** MSELoss on embeddings of every text column (each [B, d]) and teacher embeddings [B, d] or [B, n_columns, d]. */
export function mseLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: MSELossFunctionalOptions = {}): tf.Scalar {
  return embedDistillFromResolved(NAME, embeddings, labels, 'mse', { ...options, projectionDim: checkProjectionDim(options.projectionDim, NAME) });
}

export class MSELoss extends EmbedDistillLoss {
  override readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: MSELossClassOptions = {}) {
    super(model, { ...options, distanceMetric: 'mse' });
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'distillation',
  formats: [{ texts: 'single', labels: 'embeddings' }],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 1, max: null },
  summary: "Minimises the squared error between the student's and the teacher's sentence embeddings; model distillation and multilingual extension (source and translation both pulled to the teacher).",
};
