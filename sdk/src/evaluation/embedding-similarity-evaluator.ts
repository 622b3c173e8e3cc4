// EmbeddingSimilarityEvaluator (sentence-transformers): how well the embeddings' similarity of sentence
// pairs follows gold similarity scores (STS). For each similarity function:
//   pearson_<fn>  = Pearson's r of (gold score, similarity)
//   spearman_<fn> = Spearman's rho (Pearson of average ranks; ties share a rank)
// with <fn> in cosine | dot | euclidean | manhattan (distances negated, so higher = more similar).
// Several functions also give pearson_max / spearman_max. Primary: spearman of mainSimilarity, else
// spearman_max with several functions, else spearman_<the one function> (the model's own by default).
// Dataset columns: (sentence1, sentence2, score).
import type { SentenceTransformer, SimilarityFnName } from '../sentence-transformer';
import { checkPairsWithNumbers, readColumns, type ColumnSource } from './columns';
import { checkSimilarityNames, pairSimilarities, type EncodeSettings } from './embedding-scores';
import { SentenceEvaluator, type EvaluationResult } from './evaluator';
import { pearson, spearman } from './stats';

export interface EmbeddingSimilarityEvaluatorOptions extends EncodeSettings {
  sentences1: readonly string[];
  sentences2: readonly string[];
  /** Gold similarity per pair (any scale). */
  scores: readonly number[];
  /** Metric prefix, e.g. 'sts-dev'. Default ''. */
  name?: string;
  /** Default: the model's similarityFnName. */
  similarityFnNames?: readonly SimilarityFnName[];
  /** The function whose Spearman is primary. */
  mainSimilarity?: SimilarityFnName;
}

const NAME = 'EmbeddingSimilarityEvaluator';

export class EmbeddingSimilarityEvaluator extends SentenceEvaluator {
  readonly name: string;
  readonly sentences1: string[];
  readonly sentences2: string[];
  readonly scores: number[];
  private readonly options: EmbeddingSimilarityEvaluatorOptions;
  private readonly similarityFnNames?: SimilarityFnName[];

  constructor(options: EmbeddingSimilarityEvaluatorOptions) {
    super();
    [this.sentences1, this.sentences2, this.scores] = checkPairsWithNumbers(NAME, options.sentences1, options.sentences2, 'scores', options.scores);
    if (this.scores.length < 2) throw new Error(`${NAME}: correlations need at least 2 pairs; got ${this.scores.length}`);
    this.similarityFnNames = checkSimilarityNames(NAME, options.similarityFnNames);
    if (options.mainSimilarity && this.similarityFnNames && !this.similarityFnNames.includes(options.mainSimilarity)) {
      throw new Error(`${NAME}: mainSimilarity '${options.mainSimilarity}' is not among similarityFnNames ${this.similarityFnNames.join(', ')}`);
    }
    this.name = options.name ?? '';
    this.options = options;
  }

  /** Reads (sentence1, sentence2, score) columns from a Dataset; column names can be changed. */
  static fromDataset(
    dataset: ColumnSource,
    options: Omit<EmbeddingSimilarityEvaluatorOptions, 'sentences1' | 'sentences2' | 'scores'> & { columns?: [string, string, string] } = {},
  ): EmbeddingSimilarityEvaluator {
    const [a, b, c] = readColumns(NAME, dataset, options.columns ?? ['sentence1', 'sentence2', 'score']);
    return new EmbeddingSimilarityEvaluator({ ...options, sentences1: a as string[], sentences2: b as string[], scores: c as number[] });
  }

  async evaluate(model: SentenceTransformer): Promise<EvaluationResult> {
    const names = this.similarityFnNames ?? [model.similarityFnName];
    const simScores = await pairSimilarities(model, this.sentences1, this.sentences2, names, this.options);
    const metrics = embeddingSimilarityMetrics(this.scores, names, simScores);
    const main = this.options.mainSimilarity;
    return this.result(metrics, main ? `spearman_${main}` : names.length > 1 ? 'spearman_max' : `spearman_${names[0]}`);
  }
}

/** The metrics from gold scores and one similarity array per function (the part tests check against scipy). */
export function embeddingSimilarityMetrics(
  gold: readonly number[],
  names: readonly SimilarityFnName[],
  similarities: readonly ArrayLike<number>[],
): Record<string, number> {
  const metrics: Record<string, number> = {};
  names.forEach((fn, i) => {
    metrics[`pearson_${fn}`] = pearson(gold, similarities[i]);
    metrics[`spearman_${fn}`] = spearman(gold, similarities[i]);
  });
  if (names.length > 1) {
    metrics.pearson_max = Math.max(...names.map((fn) => metrics[`pearson_${fn}`]));
    metrics.spearman_max = Math.max(...names.map((fn) => metrics[`spearman_${fn}`]));
  }
  return metrics;
}
