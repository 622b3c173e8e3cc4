// LabelAccuracyEvaluator (sentence-transformers): the accuracy of a classifier on top of the embeddings,
// e.g. SoftmaxLoss's head on NLI pairs: accuracy = mean(argmax(logits) == label). Primary: accuracy.
// The classifier comes as a function from a batch of pairs to logits [B, numLabels], so this evaluator
// does not depend on how the head is built.
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { checkPairsWithNumbers, readColumns, type ColumnSource } from './columns';
import { SentenceEvaluator, type EvaluationResult } from './evaluator';

export interface LabelAccuracyEvaluatorOptions {
  sentences1: readonly string[];
  sentences2: readonly string[];
  /** Class ids 0..numLabels-1. */
  labels: readonly number[];
  /** Logits [B, numLabels] for a batch of pairs (for instance softmaxLoss.predict). */
  predict: (texts1: string[], texts2: string[]) => tf.Tensor2D;
  /** Pairs per predict call. Default 32. */
  batchSize?: number;
  /** Metric prefix. Default ''. */
  name?: string;
}

const NAME = 'LabelAccuracyEvaluator';

export class LabelAccuracyEvaluator extends SentenceEvaluator {
  readonly name: string;
  readonly sentences1: string[];
  readonly sentences2: string[];
  readonly labels: number[];
  private readonly predict: (texts1: string[], texts2: string[]) => tf.Tensor2D;
  private readonly batchSize: number;

  constructor(options: LabelAccuracyEvaluatorOptions) {
    super();
    [this.sentences1, this.sentences2, this.labels] = checkPairsWithNumbers(NAME, options.sentences1, options.sentences2, 'labels', options.labels);
    this.labels.forEach((l, i) => {
      if (!Number.isInteger(l) || l < 0) throw new Error(`${NAME}: labels must be class ids (integers >= 0); found ${l} at row ${i}`);
    });
    if (typeof options.predict !== 'function') throw new Error(`${NAME} needs a predict(texts1, texts2) function returning logits`);
    this.batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(this.batchSize) || this.batchSize < 1) throw new Error(`${NAME}: batchSize must be a positive integer; got ${this.batchSize}`);
    this.predict = options.predict;
    this.name = options.name ?? '';
  }

  /** Reads (sentence1, sentence2, label) columns from a Dataset (NLI: premise, hypothesis, label). */
  static fromDataset(
    dataset: ColumnSource,
    options: Omit<LabelAccuracyEvaluatorOptions, 'sentences1' | 'sentences2' | 'labels'> & { columns?: [string, string, string] },
  ): LabelAccuracyEvaluator {
    const [a, b, c] = readColumns(NAME, dataset, options.columns ?? ['sentence1', 'sentence2', 'label']);
    return new LabelAccuracyEvaluator({ ...options, sentences1: a as string[], sentences2: b as string[], labels: c as number[] });
  }

  // The model is reached through predict; the parameter keeps the evaluator interface.
  async evaluate(_model?: SentenceTransformer): Promise<EvaluationResult> {
    let correct: tf.Scalar = tf.scalar(0, 'int32');
    try {
      for (let start = 0; start < this.labels.length; start += this.batchSize) {
        const end = Math.min(start + this.batchSize, this.labels.length);
        const next = tf.tidy(() => {
          const logits = this.predict(this.sentences1.slice(start, end), this.sentences2.slice(start, end));
          if (logits.rank !== 2 || logits.shape[0] !== end - start) {
            throw new Error(`${NAME}: predict must return logits [${end - start}, numLabels] for rows ${start}..${end - 1}; got [${logits.shape.join(', ')}]`);
          }
          const maxLabel = Math.max(...this.labels.slice(start, end));
          if (maxLabel >= logits.shape[1]) {
            throw new Error(`${NAME}: label ${maxLabel} in rows ${start}..${end - 1} needs at least ${maxLabel + 1} logits; predict returned ${logits.shape[1]}`);
          }
          const hits = tf.equal(tf.argMax(logits, 1), tf.tensor1d(this.labels.slice(start, end), 'int32'));
          return tf.add(correct, tf.sum(tf.cast(hits, 'int32'))) as tf.Scalar;
        });
        correct.dispose();
        correct = next;
      }
      const count = (await correct.data())[0];
      return this.result({ accuracy: count / this.labels.length }, 'accuracy');
    } finally {
      correct.dispose();
    }
  }
}
