// GISTEmbedLoss: MNRL-style in-batch contrast whose false negatives are removed by a frozen guide model.
//
// With cos = cosine similarity (eps 1e-8) of the model's embeddings and g(·) the guide's, row i's threshold is
//   t_i = cos(g(a_i), g(p_i)) − margin           (marginStrategy 'absolute')
//   t_i = cos(g(a_i), g(p_i)) − |…| · margin     ('relative')
// Score blocks of row i: AP cos(a_i, p_j); AA cos(a_i, a_j) (contrastAnchors); PP cos(p_i, p_j)
// (contrastPositives); AN cos(a_i, n_j) per negative column. An entry becomes −inf when the guide's similarity of
// the same pair is strictly greater than t_i; only the true positive AP[i][i] is protected.
//   loss = CE(concat(AP, AA, PP, AN) / temperature, target i)
//
// Arguments (defaults): guide (required, frozen: never gets gradients), temperature 0.01,
// marginStrategy 'absolute', margin 0, contrastAnchors true, contrastPositives true.
// The functional core takes the guide's embeddings in options.guideEmbeddings (one per column; the guide's
// dimension may differ). The guide embeds the raw texts with its own tokenizer (the reference's retokenizing).
//
// | texts                          | labels |
// | (anchor, positive)             | none   |
// | (anchor, positive, negative)   | none   |
//
// Batch of one: AP holds only the positive, and the AA / PP self-similarities are dropped unless the guide
// scores the pair at 1, so the loss is the CE of a single logit, 0 (as the reference); finite in every case.
// Sampler: no_duplicates.
// Related: MultipleNegativesRankingLoss (no guide), CachedGISTEmbedLoss (GradCache, several negatives).
// Paper: Solatorio 2024, GISTEmbed, https://arxiv.org/abs/2402.16829
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { SentenceLoss, type Batch, type LossValueAndGradients } from './loss';
import { leadingDiagonal } from './multiple-negatives-ranking-loss';
import { normalizeRows } from './similarity';
import { checkBatchColumns, checkColumns, type ColumnExpectation } from './validate';

export type GistMarginStrategy = 'absolute' | 'relative';

export interface GISTEmbedLossOptions {
  /** Logits = cosine / temperature. Default 0.01. */
  temperature?: number;
  /** Default 'absolute'. */
  marginStrategy?: GistMarginStrategy;
  /** Default 0. */
  margin?: number;
  /** Include anchor-anchor similarities. Default true. */
  contrastAnchors?: boolean;
  /** Include positive-positive similarities. Default true. */
  contrastPositives?: boolean;
}

export interface GISTEmbedLossFunctionalOptions extends GISTEmbedLossOptions {
  /** The guide model's embeddings of the same columns, one [B, d_guide] per column (constants). */
  guideEmbeddings?: tf.Tensor2D[];
}

export interface GISTEmbedLossClassOptions extends GISTEmbedLossOptions {
  /** The frozen guide model. */
  guide: SentenceTransformer;
}

type ResolvedGistOptions = Required<GISTEmbedLossOptions>;

export function resolveGistOptions(options: GISTEmbedLossOptions, lossName: string): ResolvedGistOptions {
  const resolved: ResolvedGistOptions = {
    temperature: options.temperature ?? 0.01,
    marginStrategy: options.marginStrategy ?? 'absolute',
    margin: options.margin ?? 0,
    contrastAnchors: options.contrastAnchors ?? true,
    contrastPositives: options.contrastPositives ?? true,
  };
  if (resolved.marginStrategy !== 'absolute' && resolved.marginStrategy !== 'relative') {
    throw new Error(`${lossName}: marginStrategy must be 'absolute' or 'relative'; got '${resolved.marginStrategy}'`);
  }
  if (!(resolved.temperature > 0)) throw new Error(`${lossName}: temperature must be a positive number; got ${resolved.temperature}`);
  return resolved;
}

function gistColumns(maxColumns: number | null): ColumnExpectation {
  const format = maxColumns === 3 ? '(anchor, positive) pairs or (anchor, positive, negative) triplets' : '(anchor, positive, negative_1, ..., negative_n) tuples';
  return { min: 2, max: maxColumns, format };
}

/** nn.CosineSimilarity over every pair of rows (eps 1e-8). */
function cosineMatrix(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(normalizeRows(a, 1e-8), normalizeRows(b, 1e-8), false, true));
}

/** GIST with any number of negative columns; `maxColumns` is 3 for GISTEmbedLoss, unbounded for the cached loss. */
export function gistFromResolved(
  embeddings: tf.Tensor2D[],
  guideEmbeddings: tf.Tensor2D[] | undefined,
  options: ResolvedGistOptions,
  lossName: string,
  maxColumns: number | null,
): tf.Scalar {
  checkColumns(lossName, embeddings, gistColumns(maxColumns));
  if (!guideEmbeddings) throw new Error(`${lossName} needs the guide model's embeddings (options.guideEmbeddings, one per column); got none`);
  if (guideEmbeddings.length !== embeddings.length) {
    throw new Error(`${lossName}: guideEmbeddings must hold one matrix per column (${embeddings.length}); got ${guideEmbeddings.length}`);
  }
  guideEmbeddings.forEach((g, i) => {
    if (g.rank !== 2 || g.shape[0] !== embeddings[0].shape[0]) {
      throw new Error(`${lossName}: guide embedding column ${i} must be [${embeddings[0].shape[0]}, d]; got shape [${g.shape}]`);
    }
  });
  const { temperature, marginStrategy, margin, contrastAnchors, contrastPositives } = options;
  return tf.tidy(() => {
    const [anchor, positive, ...negatives] = embeddings;
    const [guideAnchor, guidePositive, ...guideNegatives] = guideEmbeddings;
    const batchSize = anchor.shape[0];
    const guideAp = cosineMatrix(guideAnchor, guidePositive);
    const guidePositiveSim = tf.reshape(leadingDiagonal(guideAp), [-1, 1]);
    const threshold = marginStrategy === 'absolute' ? tf.sub(guidePositiveSim, margin) : tf.sub(guidePositiveSim, tf.mul(tf.abs(guidePositiveSim), margin));
    // The guide says this candidate is at least as close as the true positive: a likely false negative.
    const dropFalseNegatives = (guideSim: tf.Tensor2D, sim: tf.Tensor2D, protectDiagonal: boolean): tf.Tensor2D => {
      let mask = tf.greater(guideSim, threshold);
      if (protectDiagonal) mask = tf.logicalAnd(mask, tf.logicalNot(tf.cast(tf.eye(batchSize), 'bool')));
      return tf.where(mask, tf.fill(sim.shape, -Infinity), sim) as tf.Tensor2D;
    };
    const ap = dropFalseNegatives(guideAp, cosineMatrix(anchor, positive), true);
    const blocks = [ap];
    if (contrastAnchors) blocks.push(dropFalseNegatives(cosineMatrix(guideAnchor, guideAnchor), cosineMatrix(anchor, anchor), false));
    if (contrastPositives) blocks.push(dropFalseNegatives(cosineMatrix(guidePositive, guidePositive), cosineMatrix(positive, positive), false));
    negatives.forEach((n, k) => blocks.push(dropFalseNegatives(cosineMatrix(guideAnchor, guideNegatives[k]), cosineMatrix(anchor, n), false)));
    const scores = tf.div(blocks.length === 1 ? blocks[0] : tf.concat(blocks, 1), temperature) as tf.Tensor2D;
    return tf.mean(tf.sub(tf.logSumExp(scores, 1), leadingDiagonal(scores))) as tf.Scalar;
  });
}

/** GISTEmbedLoss on [anchor, positive(, negative)] embeddings with the guide's in options.guideEmbeddings. */
export function gistEmbedLoss(embeddings: tf.Tensor2D[], labels?: tf.Tensor, options: GISTEmbedLossFunctionalOptions = {}): tf.Scalar {
  void labels;
  const name = 'GISTEmbedLoss';
  return gistFromResolved(embeddings, options.guideEmbeddings, resolveGistOptions(options, name), name, 3);
}

export class GISTEmbedLoss extends SentenceLoss {
  readonly name: string = 'GISTEmbedLoss';
  readonly guide: SentenceTransformer;
  readonly options: ResolvedGistOptions;
  protected readonly maxColumns: number | null = 3;
  private batchGuideEmbeddings?: tf.Tensor2D[];

  constructor(model: SentenceTransformer, options: GISTEmbedLossClassOptions) {
    super(model);
    if (!options?.guide) throw new Error(`${new.target.name} needs a guide model: new ${new.target.name}(model, { guide })`);
    this.guide = options.guide;
    this.options = resolveGistOptions(options, new.target.name);
  }

  /** The guide's embeddings of every column: inference mode, never on a gradient tape's variable list. */
  embedGuide(batch: Batch): tf.Tensor2D[] {
    checkBatchColumns(this.name, batch, gistColumns(this.maxColumns));
    return batch.columns.map((texts) => this.guide.embed(texts, { training: false }));
  }

  /** Uses `guideEmbeddings`, or those of the batch being processed by forward / lossAndGradients. */
  computeFromEmbeddings(embeddings: tf.Tensor2D[], labels?: tf.Tensor, guideEmbeddings: tf.Tensor2D[] | undefined = this.batchGuideEmbeddings): tf.Scalar {
    if (!guideEmbeddings) {
      throw new Error(`${this.name}.computeFromEmbeddings needs the guide's embeddings of the same batch: pass embedGuide(batch) as third argument, or call forward(batch)`);
    }
    return gistFromResolved(embeddings, guideEmbeddings, this.options, this.name, this.maxColumns);
  }

  override forward(batch: Batch): tf.Scalar {
    if (this.batchGuideEmbeddings) return super.forward(batch);
    const guideEmbeddings = this.embedGuide(batch);
    try {
      return this.computeFromEmbeddings(this.embedColumns(batch), batch.labels, guideEmbeddings);
    } finally {
      tf.dispose(guideEmbeddings);
    }
  }

  // The guide runs before the tape starts, so none of its activations are kept for the backward pass.
  override lossAndGradients(batch: Batch, variables: tf.Variable[] = this.trainableWeights()): LossValueAndGradients {
    this.batchGuideEmbeddings = this.embedGuide(batch);
    try {
      return this.lossAndGradientsWithGuide(batch, variables);
    } finally {
      tf.dispose(this.batchGuideEmbeddings);
      this.batchGuideEmbeddings = undefined;
    }
  }

  /** The parameter gradients once the batch's guide embeddings are set (the cached loss overrides this). */
  protected lossAndGradientsWithGuide(batch: Batch, variables: tf.Variable[]): LossValueAndGradients {
    return super.lossAndGradients(batch, variables);
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: 'GISTEmbedLoss',
  category: 'standard',
  formats: [
    { texts: 'anchor-positive', labels: 'none' },
    { texts: 'anchor-positive-negative', labels: 'none' },
  ],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'no_duplicates',
  columns: { min: 2, max: 3 },
  summary: 'In-batch negatives like MNRL, but a frozen guide model removes candidates it scores above the true positive (false negatives); a stronger signal at the cost of running the guide.',
};
