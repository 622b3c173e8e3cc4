// SoftmaxLoss: a trainable classifier on top of a pair of sentence embeddings u, v (the SBERT NLI objective):
//   features = concat(u, v  [rep],  |u − v|  [difference],  u * v  [multiplication])   in this order
//   logits = W · features + b,   loss = mean cross-entropy(logits, label)
// The classifier (nn.Linear(k·d, numLabels), PyTorch's default init U(−1/√(k·d), 1/√(k·d)) for W and b) is owned
// by the loss: trainableWeights() includes it, dispose() frees it, predict() gives its logits for evaluation
// (LabelAccuracyEvaluator). The functional core takes the classifier as options.weight / options.bias.
//
// Arguments (defaults = sentence-transformers v6): embeddingDimension (old name sentenceEmbeddingDimension;
// default here: the model's dimension), numLabels (required), concatenationSentRep true,
// concatenationSentDifference true, concatenationSentMultiplication false; seed 42 for the initialisation.
//
// | texts                    | labels        |
// | (sentence_A, sentence_B) | integer class |
//
// Sampler: default. Related: for NLI data, MultipleNegativesRankingLoss on (anchor, entailment, contradiction)
// triplets usually gives better embeddings.
// Paper: Reimers & Gurevych 2019, Sentence-BERT, https://arxiv.org/abs/1908.10084
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { Rng } from '../util/random';
import type { LossCatalogEntry } from './catalog-types';
import { SentenceLoss, type Batch } from './loss';
import { checkBatchColumns, checkColumns, checkLabelVector, type ColumnExpectation } from './validate';

export interface SoftmaxLossOptions {
  /** Dimension d of u and v. */
  embeddingDimension?: number;
  /** The pre-v5.4 name of embeddingDimension. */
  sentenceEmbeddingDimension?: number;
  /** Number of classes. */
  numLabels?: number;
  /** Concatenate u and v. Default true. */
  concatenationSentRep?: boolean;
  /** Concatenate |u − v|. Default true. */
  concatenationSentDifference?: boolean;
  /** Concatenate u * v. Default false. */
  concatenationSentMultiplication?: boolean;
}

export interface SoftmaxLossFunctionalOptions extends SoftmaxLossOptions {
  /** Classifier weight in torch layout [numLabels, k·d]. */
  weight: tf.Tensor2D;
  /** Classifier bias [numLabels]. */
  bias: tf.Tensor1D;
}

export interface SoftmaxLossClassOptions extends SoftmaxLossOptions {
  numLabels: number;
  /** Seed of the classifier's initialisation. Default 42. */
  seed?: number;
}

const NAME = 'SoftmaxLoss';
const COLUMNS: ColumnExpectation = { min: 2, max: 2, format: '(sentence_A, sentence_B) pairs' };
const LABELS = 'one integer class label per row';

interface Concatenation {
  rep: boolean;
  difference: boolean;
  multiplication: boolean;
}

function concatenation(options: SoftmaxLossOptions): Concatenation {
  const c = {
    rep: options.concatenationSentRep ?? true,
    difference: options.concatenationSentDifference ?? true,
    multiplication: options.concatenationSentMultiplication ?? false,
  };
  if (!c.rep && !c.difference && !c.multiplication) throw new Error(`${NAME}: at least one of concatenationSentRep, concatenationSentDifference, concatenationSentMultiplication must be true`);
  return c;
}

/** k: how many d-sized vectors the features concatenate. */
function vectorsConcatenated(c: Concatenation): number {
  return (c.rep ? 2 : 0) + (c.difference ? 1 : 0) + (c.multiplication ? 1 : 0);
}

function embeddingDimensionOf(options: SoftmaxLossOptions): number | undefined {
  const { embeddingDimension: a, sentenceEmbeddingDimension: b } = options;
  if (a !== undefined && b !== undefined && a !== b) throw new Error(`${NAME}: embeddingDimension ${a} and sentenceEmbeddingDimension ${b} disagree; pass only embeddingDimension`);
  return a ?? b;
}

/** The classifier's logits [B, numLabels] for embeddings [u, v]. */
export function softmaxLossLogits(embeddings: tf.Tensor2D[], options: SoftmaxLossFunctionalOptions): tf.Tensor2D {
  checkColumns(NAME, embeddings, COLUMNS);
  const c = concatenation(options);
  const [u, v] = embeddings;
  const d = u.shape[1];
  const expectedDim = embeddingDimensionOf(options);
  if (expectedDim !== undefined && expectedDim !== d) throw new Error(`${NAME}: embeddingDimension is ${expectedDim} but the embeddings have ${d} dimensions`);
  const { weight, bias } = options;
  if (!weight || !bias) throw new Error(`${NAME}: the functional form needs the classifier as options.weight [numLabels, k·d] and options.bias [numLabels]`);
  const features = vectorsConcatenated(c) * d;
  const numLabels = options.numLabels ?? weight.shape[0];
  if (weight.rank !== 2 || weight.shape[0] !== numLabels || weight.shape[1] !== features) {
    throw new Error(`${NAME}: weight must have shape [numLabels, k·d] = [${numLabels}, ${features}] (k = ${vectorsConcatenated(c)} concatenated vectors, d = ${d}); got [${weight.shape.join(', ')}]`);
  }
  if (bias.rank !== 1 || bias.shape[0] !== numLabels) throw new Error(`${NAME}: bias must have shape [${numLabels}]; got [${bias.shape.join(', ')}]`);
  return tf.tidy(() => {
    const parts: tf.Tensor2D[] = [];
    if (c.rep) parts.push(u, v);
    if (c.difference) parts.push(tf.abs(tf.sub(u, v)) as tf.Tensor2D);
    if (c.multiplication) parts.push(tf.mul(u, v));
    const x = parts.length === 1 ? parts[0] : tf.concat(parts, 1);
    return tf.add(tf.matMul(x, weight, false, true), bias) as tf.Tensor2D;
  });
}

/** SoftmaxLoss on embeddings [sentence_A, sentence_B] (each [B, d]) and class labels [B]: mean cross-entropy. */
export function softmaxLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: SoftmaxLossFunctionalOptions): tf.Scalar {
  checkColumns(NAME, embeddings, COLUMNS);
  const y = checkLabelVector(NAME, labels, embeddings[0].shape[0], LABELS);
  return tf.tidy(() => {
    const logits = softmaxLossLogits(embeddings, options);
    const targets = tf.oneHot(tf.cast(tf.reshape(y, [-1]), 'int32') as tf.Tensor1D, logits.shape[1]);
    return tf.mean(tf.sub(tf.logSumExp(logits, 1), tf.sum(tf.mul(logits, targets), 1))) as tf.Scalar;
  });
}

export class SoftmaxLoss extends SentenceLoss {
  readonly name: string = NAME;
  /** [numLabels, k·d], torch layout. */
  readonly weight: tf.Variable<tf.Rank.R2>;
  readonly bias: tf.Variable<tf.Rank.R1>;
  readonly options: Required<Omit<SoftmaxLossClassOptions, 'sentenceEmbeddingDimension'>>;

  constructor(model: SentenceTransformer, options: SoftmaxLossClassOptions) {
    super(model);
    const { numLabels, seed = 42 } = options;
    if (!Number.isInteger(numLabels) || numLabels < 1) throw new Error(`${NAME}: numLabels must be a positive integer; got ${numLabels}`);
    const embeddingDimension = embeddingDimensionOf(options) ?? model.getSentenceEmbeddingDimension();
    const c = concatenation(options);
    this.options = {
      embeddingDimension,
      numLabels,
      concatenationSentRep: c.rep,
      concatenationSentDifference: c.difference,
      concatenationSentMultiplication: c.multiplication,
      seed,
    };
    // nn.Linear's default init: kaiming_uniform(a = √5) gives U(−1/√fan_in, 1/√fan_in) for the weight, and the bias uses the same bound.
    const fanIn = vectorsConcatenated(c) * embeddingDimension;
    const rng = new Rng(seed);
    const bound = 1 / Math.sqrt(fanIn);
    const uniform = (n: number) => Float32Array.from({ length: n }, () => (2 * rng.next() - 1) * bound);
    this.weight = tf.variable(tf.tensor2d(uniform(numLabels * fanIn), [numLabels, fanIn]));
    this.bias = tf.variable(tf.tensor1d(uniform(numLabels)));
  }

  computeFromEmbeddings(embeddings: tf.Tensor2D[], labels?: tf.Tensor): tf.Scalar {
    return softmaxLoss(embeddings, labels, { ...this.options, weight: this.weight, bias: this.bias });
  }

  override embedColumns(batch: Batch): tf.Tensor2D[] {
    checkBatchColumns(this.name, batch, COLUMNS);
    return super.embedColumns(batch);
  }

  /** The classifier's logits [B, numLabels] for pairs (texts1[i], texts2[i]), inference mode; e.g. LabelAccuracyEvaluator's predict. */
  readonly predict = (texts1: string[], texts2: string[]): tf.Tensor2D => {
    if (texts1.length !== texts2.length) throw new Error(`${NAME}.predict: texts1 has ${texts1.length} texts, texts2 has ${texts2.length}`);
    return tf.tidy(() => softmaxLossLogits([this.model.embed(texts1), this.model.embed(texts2)], { ...this.options, weight: this.weight, bias: this.bias }));
  };

  override trainableWeights(): tf.Variable[] {
    return [...this.model.trainableWeights(), this.weight, this.bias];
  }

  override dispose(): void {
    this.weight.dispose();
    this.bias.dispose();
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'standard',
  formats: [{ texts: 'pair', labels: 'class' }],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 2, max: 2 },
  summary: 'Trains a classifier on (u, v, |u − v|) of each pair, as SBERT did on NLI; for pairs with class labels (e.g. entailment / neutral / contradiction).',
};
