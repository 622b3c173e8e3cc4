// MatryoshkaLoss: a modifier that trains embeddings to stay useful when truncated to their first m
// dimensions, by applying the wrapped loss at several dimensions.
//
//   loss = Σ_{m ∈ selected dims} weight_m · inner( normalize(E_c[:, :m]) for every column c, labels' )
//
// Every embedding is truncated and then L2-normalised (F.normalize, eps 1e-12), also at the full
// dimension: this changes dot-product inner losses (MNRL with dot_score, MarginMSELoss). Labels shaped
// [B, embedding dim] (distillation targets) are truncated to [B, m] too; other labels pass unchanged.
// The sum is weighted, not averaged.
//
// Arguments: matryoshkaDims (required, e.g. [768, 512, 256, 128, 64]; sorted descending, weights permuted
// with them), matryoshkaWeights (default all 1), nDimsPerStep (default -1 = every dim; k with
// 0 < k < #dims draws k dims per step with `rng`, used largest first), rng (a RandomSource; default
// Rng(42) per loss instance, a shared one for the functional form).
//
// | texts | labels |
// | any   | any    |   (whatever the wrapped loss expects)
//
// Sampler: that of the wrapped loss.
// Gradient-cached inner losses (GradCache) keep their memory bound: the truncation is applied to their
// cached embeddings (see wrapped-loss.ts).
// Related: AdaptiveLayerLoss (earlier layers instead of fewer dims), Matryoshka2dLoss (both).
// Paper: Kusupati et al. 2022, "Matryoshka Representation Learning", https://arxiv.org/abs/2205.13147
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { Rng } from '../util/random';
import { modifierCatalogEntry, type LossCatalogEntry } from './catalog-types';
import { SentenceLoss, type Batch, type LossValueAndGradients } from './loss';
import { defaultModifierRng, selectIndices, type IndexRandomSource } from './sample-indices';
import { normalizeRows } from './similarity';
import { computesOwnGradients, forwardOnEmbeddings, modifierWarning, withObjective, type EmbeddingLossFn } from './wrapped-loss';

export interface MatryoshkaLossOptions {
  /** The wrapped loss as a function of the (truncated, normalised) embeddings. */
  innerLoss: EmbeddingLossFn;
  /** Embedding sizes to train, each ≤ the embedding dimension. */
  matryoshkaDims: readonly number[];
  /** One weight per dim (same order as matryoshkaDims); default all 1. */
  matryoshkaWeights?: readonly number[] | null;
  /** Dims per step: -1 (default) = all; 0 < k < #dims = k drawn at random each step. */
  nDimsPerStep?: number;
  /** Source of the dim draws; default a shared seeded Rng. */
  rng?: IndexRandomSource;
}

/** The dims sorted descending with their weights, as the reference stores them. */
export interface ResolvedMatryoshka {
  dims: number[];
  weights: number[];
  nDimsPerStep: number;
}

export function resolveMatryoshkaOptions(options: Omit<MatryoshkaLossOptions, 'innerLoss'>, lossName = 'MatryoshkaLoss'): ResolvedMatryoshka {
  const dims = options.matryoshkaDims;
  if (!Array.isArray(dims) || dims.length === 0) {
    throw new Error(`${lossName}: matryoshkaDims must list at least one dimension; got ${JSON.stringify(dims)}`);
  }
  const badDim = dims.find((d) => !Number.isInteger(d) || d <= 0);
  if (badDim !== undefined) throw new Error(`${lossName}: every matryoshkaDims entry must be a positive integer; got ${badDim}`);
  const weights = options.matryoshkaWeights ?? dims.map(() => 1);
  if (weights.length !== dims.length) {
    throw new Error(`${lossName}: matryoshkaWeights must have one weight per dim (${dims.length}); got ${weights.length}`);
  }
  const badWeight = weights.find((w) => typeof w !== 'number' || !Number.isFinite(w));
  if (badWeight !== undefined) throw new Error(`${lossName}: matryoshkaWeights must be finite numbers; got ${badWeight}`);
  const nDimsPerStep = options.nDimsPerStep ?? -1;
  if (!Number.isInteger(nDimsPerStep)) throw new Error(`${lossName}: nDimsPerStep must be an integer (-1 = all dims); got ${nDimsPerStep}`);
  // Stable sort, descending by dim (Python's sorted(..., reverse=True) keeps equal dims in order).
  const order = dims.map((d, i) => [d, i] as const).sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  return { dims: order.map(([d]) => d), weights: order.map(([, i]) => weights[i]), nDimsPerStep };
}

/** The first `dim` components of every row, L2-normalised. */
export function shrinkEmbeddings(e: tf.Tensor2D, dim: number): tf.Tensor2D {
  return tf.tidy(() => normalizeRows(tf.slice(e, [0, 0], [-1, dim])));
}

/** Indices into the resolved dims for this step, ascending (= largest dims first), as the reference sorts them. */
export function drawMatryoshkaDims(resolved: ResolvedMatryoshka, rng: IndexRandomSource, lossName = 'MatryoshkaLoss'): number[] {
  return selectIndices(rng, resolved.dims.length, resolved.nDimsPerStep, lossName).sort((a, b) => a - b);
}

/** Σ weight_m · inner(truncated, normalised embeddings) over this step's dims. */
export function matryoshkaLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: MatryoshkaLossOptions): tf.Scalar {
  const resolved = resolveMatryoshkaOptions(options);
  if (typeof options.innerLoss !== 'function') throw new Error(`MatryoshkaLoss: options.innerLoss must be a function (embeddings, labels) => scalar; got ${typeof options.innerLoss}`);
  if (embeddings.length === 0) throw new Error('MatryoshkaLoss expects at least one embedding column; got 0');
  const modelDim = embeddings[0].shape[1];
  embeddings.forEach((e, c) => {
    if (e.rank !== 2) throw new Error(`MatryoshkaLoss: embedding column ${c} must be a 2-D [batch, dim] tensor; got shape [${e.shape}]`);
    if (resolved.dims[0] > e.shape[1]) {
      throw new Error(`MatryoshkaLoss: matryoshkaDims entry ${resolved.dims[0]} exceeds the embedding dimension ${e.shape[1]} of column ${c}`);
    }
  });
  const selected = drawMatryoshkaDims(resolved, options.rng ?? defaultModifierRng);
  // Labels that look like embeddings of the model (distillation targets) are truncated with them.
  const truncateLabels = labels !== undefined && labels.rank === 2 && labels.shape[1] === modelDim;
  return tf.tidy(() => {
    let total: tf.Scalar | undefined;
    for (const idx of selected) {
      const dim = resolved.dims[idx];
      const shrunk = embeddings.map((e) => shrinkEmbeddings(e, dim));
      const dimLabels = truncateLabels ? tf.slice(labels, [0, 0], [-1, dim]) : labels;
      const term = tf.mul(options.innerLoss(shrunk, dimLabels), resolved.weights[idx]) as tf.Scalar;
      total = total ? (tf.add(total, term) as tf.Scalar) : term;
    }
    return total!;
  });
}

export class MatryoshkaLoss extends SentenceLoss {
  readonly name: string = 'MatryoshkaLoss';
  /** Dims sorted descending, weights permuted with them. */
  readonly matryoshkaDims: readonly number[];
  readonly matryoshkaWeights: readonly number[];
  readonly nDimsPerStep: number;
  readonly rng: IndexRandomSource;

  /** `loss` is the wrapped loss (built on the same model); `rng` defaults to this loss's own Rng(42). */
  constructor(
    model: SentenceTransformer,
    readonly loss: SentenceLoss,
    options: Omit<MatryoshkaLossOptions, 'innerLoss'>,
  ) {
    super(model);
    const resolved = resolveMatryoshkaOptions(options);
    this.matryoshkaDims = resolved.dims;
    this.matryoshkaWeights = resolved.weights;
    this.nDimsPerStep = resolved.nDimsPerStep;
    this.rng = options.rng ?? new Rng(42);
    const modelDim = model.getSentenceEmbeddingDimension();
    if (resolved.dims[0] > modelDim) {
      throw new Error(`MatryoshkaLoss: matryoshkaDims entry ${resolved.dims[0]} exceeds the model's embedding dimension ${modelDim}`);
    }
    if (!resolved.dims.includes(modelDim)) {
      modifierWarning(
        `MatryoshkaLoss: the model's embedding dimension ${modelDim} is not in matryoshkaDims [${resolved.dims.join(', ')}], ` +
          `so the full dimension is not trained; include ${modelDim} unless you always truncate`,
      );
    }
  }

  /** The wrapped loss's column embeddings (it may embed columns its own way, e.g. two towers). */
  override embedColumns(batch: Batch): tf.Tensor2D[] {
    return this.loss.embedColumns(batch);
  }

  private options(innerLoss: EmbeddingLossFn): MatryoshkaLossOptions {
    return { innerLoss, matryoshkaDims: this.matryoshkaDims, matryoshkaWeights: this.matryoshkaWeights, nDimsPerStep: this.nDimsPerStep, rng: this.rng };
  }

  /** The objective on embeddings already computed: the wrapped loss's computeFromEmbeddings at every dim. */
  computeFromEmbeddings(embeddings: tf.Tensor2D[], labels?: tf.Tensor): tf.Scalar {
    return matryoshkaLoss(embeddings, labels, this.options((e, l) => this.loss.computeFromEmbeddings(e, l)));
  }

  /**
   * Embeds once, then runs the wrapped loss's own forward pass at every dim on the truncated embeddings
   * (as the reference's ForwardDecorator), so losses with a guide model or a second tower keep working.
   */
  override forward(batch: Batch): tf.Scalar {
    return tf.tidy(() => matryoshkaLoss(this.embedColumns(batch), batch.labels, this.options((e, l) => forwardOnEmbeddings(this.loss, batch, e, l))));
  }

  /**
   * A wrapped loss with its own backward pass (GradCache: the Cached* losses, mini-batched MegaBatchMarginLoss;
   * GIST's guide pass) runs it with the Matryoshka objective in place of its computeFromEmbeddings: the
   * truncation then applies to the cached embeddings, and its gradient is weighted with the dims.
   */
  override lossAndGradients(batch: Batch, variables: tf.Variable[] = this.trainableWeights()): LossValueAndGradients {
    if (!computesOwnGradients(this.loss)) return super.lossAndGradients(batch, variables);
    return withObjective(
      this.loss,
      (embeddings, labels, original) => matryoshkaLoss(embeddings, labels, this.options(original)),
      () => this.loss.lossAndGradients(batch, variables),
    );
  }

  /** The model's weights plus any the wrapped loss owns. */
  override trainableWeights(): tf.Variable[] {
    return this.loss.trainableWeights();
  }

  /** Frees what the wrapped loss owns (the wrapper owns nothing itself). */
  override dispose(): void {
    this.loss.dispose();
  }
}

export const catalogEntry: LossCatalogEntry = modifierCatalogEntry(
  'MatryoshkaLoss',
  'Wraps any loss and applies it at several truncated embedding sizes, so embeddings can be shortened with little loss in quality.',
);
