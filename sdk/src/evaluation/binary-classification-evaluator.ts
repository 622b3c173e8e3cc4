// BinaryClassificationEvaluator (sentence-transformers): how well a threshold on the embeddings'
// similarity separates similar pairs (label 1) from dissimilar ones (label 0), e.g. duplicate questions.
// For each similarity function <fn> (cosine | dot | euclidean | manhattan):
//   <fn>_accuracy, <fn>_accuracy_threshold   best accuracy over all cuts of the sorted scores
//   <fn>_f1, <fn>_f1_threshold, <fn>_precision, <fn>_recall   best F1 and its precision/recall
//   <fn>_ap    average precision (sklearn average_precision_score)
//   <fn>_mcc   Matthews correlation of the predictions at the F1 threshold
// cosine and dot are similarities (similar when score >= threshold); euclidean and manhattan are scored as
// distances (similar when distance <= threshold), as sentence-transformers intends (its v3.3+ code scored
// them inverted until huggingface/sentence-transformers#3886 fixed it).
// Several functions also give max_<metric>. Primary: max_ap with several functions, else <fn>_ap.
// Dataset columns: (sentence1, sentence2, label).
import type { SentenceTransformer, SimilarityFnName } from '../sentence-transformer';
import { checkPairsWithNumbers, readColumns, type ColumnSource } from './columns';
import { checkSimilarityNames, pairSimilarities, type EncodeSettings } from './embedding-scores';
import { SentenceEvaluator, type EvaluationResult } from './evaluator';
import { averagePrecision, findBestAccuracyAndThreshold, findBestF1AndThreshold, matthewsCorrcoef } from './stats';

export interface BinaryClassificationEvaluatorOptions extends EncodeSettings {
  sentences1: readonly string[];
  sentences2: readonly string[];
  /** 1 for similar pairs, 0 for dissimilar ones. */
  labels: readonly number[];
  /** Metric prefix. Default ''. */
  name?: string;
  /** Default: the model's similarityFnName. */
  similarityFnNames?: readonly SimilarityFnName[];
}

const NAME = 'BinaryClassificationEvaluator';

export class BinaryClassificationEvaluator extends SentenceEvaluator {
  readonly name: string;
  readonly sentences1: string[];
  readonly sentences2: string[];
  readonly labels: number[];
  private readonly options: BinaryClassificationEvaluatorOptions;
  private readonly similarityFnNames?: SimilarityFnName[];

  constructor(options: BinaryClassificationEvaluatorOptions) {
    super();
    [this.sentences1, this.sentences2, this.labels] = checkPairsWithNumbers(NAME, options.sentences1, options.sentences2, 'labels', options.labels);
    this.labels.forEach((l, i) => {
      if (l !== 0 && l !== 1) throw new Error(`${NAME}: labels must be 0 or 1; found ${l} at row ${i}`);
    });
    this.similarityFnNames = checkSimilarityNames(NAME, options.similarityFnNames);
    this.name = options.name ?? '';
    this.options = options;
  }

  /** Reads (sentence1, sentence2, label) columns from a Dataset; column names can be changed. */
  static fromDataset(
    dataset: ColumnSource,
    options: Omit<BinaryClassificationEvaluatorOptions, 'sentences1' | 'sentences2' | 'labels'> & { columns?: [string, string, string] } = {},
  ): BinaryClassificationEvaluator {
    const [a, b, c] = readColumns(NAME, dataset, options.columns ?? ['sentence1', 'sentence2', 'label']);
    return new BinaryClassificationEvaluator({ ...options, sentences1: a as string[], sentences2: b as string[], labels: c as number[] });
  }

  async evaluate(model: SentenceTransformer): Promise<EvaluationResult> {
    const names = this.similarityFnNames ?? [model.similarityFnName];
    const similarities = await pairSimilarities(model, this.sentences1, this.sentences2, names, this.options);
    const metrics: Record<string, number> = {};
    const perFn = names.map((fn, i) => binaryClassificationMetrics(this.labels, fn, similarities[i]));
    names.forEach((fn, i) => {
      for (const [m, v] of Object.entries(perFn[i])) metrics[`${fn}_${m}`] = v;
    });
    if (names.length > 1) {
      for (const m of Object.keys(perFn[0])) metrics[`max_${m}`] = Math.max(...perFn.map((s) => s[m as keyof BinaryMetrics]));
    }
    return this.result(metrics, names.length > 1 ? 'max_ap' : `${names[0]}_ap`);
  }
}

export interface BinaryMetrics {
  accuracy: number;
  accuracy_threshold: number;
  f1: number;
  f1_threshold: number;
  precision: number;
  recall: number;
  ap: number;
  mcc: number;
}

/**
 * The metrics of one similarity function, from the similarity scores (higher = more similar, distances
 * negated as PAIRWISE_SIMILARITY gives them). Thresholds of euclidean/manhattan are distances.
 */
export function binaryClassificationMetrics(labels: readonly number[], fn: SimilarityFnName, similarity: ArrayLike<number>): BinaryMetrics {
  const isDistance = fn === 'euclidean' || fn === 'manhattan';
  const scores = Array.from(similarity, (s) => (isDistance ? -s : s));
  const greaterIsBetter = !isDistance;
  const acc = findBestAccuracyAndThreshold(scores, labels, greaterIsBetter);
  const f1 = findBestF1AndThreshold(scores, labels, greaterIsBetter);
  const predicted = scores.map((s) => Number(greaterIsBetter ? s >= f1.threshold : s <= f1.threshold));
  return {
    accuracy: acc.accuracy,
    accuracy_threshold: acc.threshold,
    f1: f1.f1,
    f1_threshold: f1.threshold,
    precision: f1.precision,
    recall: f1.recall,
    ap: averagePrecision(labels, Array.from(similarity)),
    mcc: matthewsCorrcoef(labels, predicted),
  };
}
