// The evaluator contract the Trainer calls: evaluate(model) → metrics named as sentence-transformers names
// them (prefixed by the evaluator's name, e.g. 'sts-dev_spearman_cosine') and which one is primary.
import type { SentenceTransformer } from '../sentence-transformer';

export interface EvaluationResult {
  /** Every metric, keys prefixed with `${name}_` when the evaluator has a name. */
  metrics: Record<string, number>;
  /** The key in `metrics` to select the best model by. */
  primaryMetric: string;
  /** Whether a higher primary metric is better (true for every evaluator here: MSE is reported negated). */
  greaterIsBetter: boolean;
}

export abstract class SentenceEvaluator {
  /** Prefix of every metric key; '' for none. */
  abstract readonly name: string;
  readonly greaterIsBetter: boolean = true;
  /** The primary metric's full key after the last evaluate() (sentence-transformers' primary_metric). */
  primaryMetric = '';

  abstract evaluate(model: SentenceTransformer): Promise<EvaluationResult>;

  /** Prefixes the metric keys with the name (prefix_name_to_metrics) and records the primary metric. */
  protected result(metrics: Record<string, number>, primaryMetric: string): EvaluationResult {
    const prefix = this.name ? `${this.name}_` : '';
    const prefixed: Record<string, number> = {};
    for (const [key, value] of Object.entries(metrics)) prefixed[prefix + key] = value;
    this.primaryMetric = prefix + primaryMetric;
    if (!(this.primaryMetric in prefixed)) {
      throw new Error(`${this.constructor.name}: primary metric '${this.primaryMetric}' is not among ${Object.keys(prefixed).join(', ')}`);
    }
    return { metrics: prefixed, primaryMetric: this.primaryMetric, greaterIsBetter: this.greaterIsBetter };
  }
}
