// SequentialEvaluator (sentence-transformers): runs several evaluators one after the other and merges their
// metrics (each already prefixed by its own name). Its primary metric, sequential_score, combines the
// evaluators' primary metrics with mainScoreFunction: by default the last one's.
import type { SentenceTransformer } from '../sentence-transformer';
import { SentenceEvaluator, type EvaluationResult } from './evaluator';

export interface SequentialEvaluatorOptions {
  /** Combines the evaluators' primary metrics, in order. Default: the last. */
  mainScoreFunction?: (scores: number[]) => number;
}

export class SequentialEvaluator extends SentenceEvaluator {
  // No prefix of its own: the merged metrics keep their evaluators' names, as in sentence-transformers.
  readonly name = '';
  private readonly mainScoreFunction: (scores: number[]) => number;

  constructor(
    readonly evaluators: readonly SentenceEvaluator[],
    options: SequentialEvaluatorOptions = {},
  ) {
    super();
    if (!Array.isArray(evaluators) || evaluators.length === 0) throw new Error('SequentialEvaluator needs at least one evaluator');
    evaluators.forEach((e, i) => {
      if (typeof e?.evaluate !== 'function') throw new Error(`SequentialEvaluator: evaluator ${i} has no evaluate(model) method`);
      if (!e.greaterIsBetter) throw new Error(`SequentialEvaluator: evaluator ${i} (${e.constructor.name}) has greaterIsBetter false; scores could not be combined`);
    });
    this.mainScoreFunction = options.mainScoreFunction ?? ((scores) => scores[scores.length - 1]);
  }

  async evaluate(model: SentenceTransformer): Promise<EvaluationResult> {
    const metrics: Record<string, number> = {};
    const scores: number[] = [];
    for (const evaluator of this.evaluators) {
      const r = await evaluator.evaluate(model);
      Object.assign(metrics, r.metrics);
      scores.push(r.metrics[r.primaryMetric]);
    }
    metrics.sequential_score = this.mainScoreFunction(scores);
    return this.result(metrics, 'sequential_score');
  }
}
