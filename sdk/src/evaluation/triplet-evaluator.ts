// TripletEvaluator (sentence-transformers): the share of (anchor, positive, negative) triplets whose anchor
// is more similar to the positive than to the negative by more than a margin:
//   <fn>_accuracy = mean( sim(a, p) - sim(a, n) > margin_<fn> )
// with <fn> in cosine | dot | euclidean | manhattan (distances negated). Several functions also give
// max_accuracy. Primary: mainSimilarityFunction's accuracy, else max_accuracy with several, else <fn>_accuracy.
// Dataset columns: (anchor, positive, negative).
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer, SimilarityFnName } from '../sentence-transformer';
import { checkLengths, checkTexts, readColumns, type ColumnSource } from './columns';
import { checkSimilarityNames, encodeColumns, PAIRWISE_SIMILARITY, readVectors, type EncodeSettings } from './embedding-scores';
import { SentenceEvaluator, type EvaluationResult } from './evaluator';

export interface TripletEvaluatorOptions extends EncodeSettings {
  anchors: readonly string[];
  positives: readonly string[];
  negatives: readonly string[];
  /** Metric prefix. Default ''. */
  name?: string;
  /** Default: the model's similarityFnName. */
  similarityFnNames?: readonly SimilarityFnName[];
  mainSimilarityFunction?: SimilarityFnName;
  /** Required lead of the positive over the negative: one number, or one per function. Default 0. */
  margin?: number | Partial<Record<SimilarityFnName, number>>;
}

const NAME = 'TripletEvaluator';

export class TripletEvaluator extends SentenceEvaluator {
  readonly name: string;
  readonly anchors: string[];
  readonly positives: string[];
  readonly negatives: string[];
  private readonly options: TripletEvaluatorOptions;
  private readonly similarityFnNames?: SimilarityFnName[];

  constructor(options: TripletEvaluatorOptions) {
    super();
    this.anchors = checkTexts(NAME, 'anchors', options.anchors);
    this.positives = checkTexts(NAME, 'positives', options.positives);
    this.negatives = checkTexts(NAME, 'negatives', options.negatives);
    checkLengths(NAME, { anchors: this.anchors, positives: this.positives, negatives: this.negatives });
    this.similarityFnNames = checkSimilarityNames(NAME, options.similarityFnNames);
    const margins = typeof options.margin === 'object' ? Object.values(options.margin) : [options.margin ?? 0];
    for (const m of margins) {
      if (typeof m !== 'number' || !Number.isFinite(m)) throw new Error(`${NAME}: margin must be a finite number; got ${m}`);
    }
    this.name = options.name ?? '';
    this.options = options;
  }

  /** Reads (anchor, positive, negative) columns from a Dataset; column names can be changed. */
  static fromDataset(
    dataset: ColumnSource,
    options: Omit<TripletEvaluatorOptions, 'anchors' | 'positives' | 'negatives'> & { columns?: [string, string, string] } = {},
  ): TripletEvaluator {
    const [a, p, n] = readColumns(NAME, dataset, options.columns ?? ['anchor', 'positive', 'negative']);
    return new TripletEvaluator({ ...options, anchors: a as string[], positives: p as string[], negatives: n as string[] });
  }

  private marginOf(fn: SimilarityFnName): number {
    const m = this.options.margin;
    return typeof m === 'object' ? (m[fn] ?? 0) : (m ?? 0);
  }

  async evaluate(model: SentenceTransformer): Promise<EvaluationResult> {
    const names = this.similarityFnNames ?? [model.similarityFnName];
    const [a, p, n] = await encodeColumns(model, [this.anchors, this.positives, this.negatives], this.options);
    const vectors = tf.tidy(() => names.flatMap((fn) => [PAIRWISE_SIMILARITY[fn](a, p), PAIRWISE_SIMILARITY[fn](a, n)]));
    tf.dispose([a, p, n]);
    const scores = await readVectors(vectors);
    const metrics: Record<string, number> = {};
    names.forEach((fn, i) => {
      metrics[`${fn}_accuracy`] = tripletAccuracy(scores[2 * i], scores[2 * i + 1], this.marginOf(fn));
    });
    if (names.length > 1) metrics.max_accuracy = Math.max(...names.map((fn) => metrics[`${fn}_accuracy`]));
    const main = this.options.mainSimilarityFunction;
    return this.result(metrics, main ? `${main}_accuracy` : names.length > 1 ? 'max_accuracy' : `${names[0]}_accuracy`);
  }
}

/** Share of rows where positive - negative > margin. */
export function tripletAccuracy(positive: ArrayLike<number>, negative: ArrayLike<number>, margin = 0): number {
  let correct = 0;
  for (let i = 0; i < positive.length; i++) if (positive[i] - negative[i] > margin) correct++;
  return correct / positive.length;
}
