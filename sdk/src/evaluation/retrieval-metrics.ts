// Ranking metrics of InformationRetrievalEvaluator, with sentence-transformers' exact formulas, from each
// query's ranked corpus ids (best first) and its set of relevant ids (binary relevance):
//   accuracy@k  share of queries with a relevant doc in the top k
//   precision@k mean of (relevant in top k) / k
//   recall@k    mean of (relevant in top k) / |relevant|
//   mrr@k       mean of 1 / rank of the first relevant doc in the top k (0 if none)
//   ndcg@k      mean of DCG@k / IDCG@k, DCG = sum rel_i / log2(i + 2), IDCG from |relevant| ones
//   map@k       mean of (sum of precision at each relevant hit in the top k) / min(k, |relevant|)
import { dcgAtK } from './stats';

export interface RetrievalCutoffs {
  accuracyAtK: readonly number[];
  precisionRecallAtK: readonly number[];
  mrrAtK: readonly number[];
  ndcgAtK: readonly number[];
  mapAtK: readonly number[];
}

/** sentence-transformers' defaults. */
export const DEFAULT_RETRIEVAL_CUTOFFS: RetrievalCutoffs = {
  accuracyAtK: [1, 3, 5, 10],
  precisionRecallAtK: [1, 3, 5, 10],
  mrrAtK: [10],
  ndcgAtK: [10],
  mapAtK: [100],
};

export function maxCutoff(c: RetrievalCutoffs): number {
  return Math.max(...c.accuracyAtK, ...c.precisionRecallAtK, ...c.mrrAtK, ...c.ndcgAtK, ...c.mapAtK);
}

export function checkCutoffs(evaluator: string, c: RetrievalCutoffs): void {
  for (const [name, ks] of Object.entries(c) as [string, readonly number[]][]) {
    if (!Array.isArray(ks) || ks.length === 0) throw new Error(`${evaluator}: ${name} must be a non-empty array of positive integers; got ${JSON.stringify(ks)}`);
    for (const k of ks) if (!Number.isInteger(k) || k < 1) throw new Error(`${evaluator}: ${name} must hold positive integers; found ${k}`);
  }
}

/**
 * Metrics keyed 'accuracy@1', ..., 'precision@k', 'recall@k', 'ndcg@k', 'mrr@k', 'map@k' (the order
 * sentence-transformers reports them in). rankings[q] and relevant[q] belong to the same query.
 */
export function retrievalMetrics(
  rankings: readonly (readonly string[])[],
  relevant: readonly ReadonlySet<string>[],
  cutoffs: RetrievalCutoffs = DEFAULT_RETRIEVAL_CUTOFFS,
): Record<string, number> {
  if (rankings.length !== relevant.length) throw new Error(`retrievalMetrics: ${rankings.length} rankings but ${relevant.length} relevance sets`);
  if (rankings.length === 0) throw new Error('retrievalMetrics needs at least one query');
  relevant.forEach((r, q) => {
    if (r.size === 0) throw new Error(`retrievalMetrics: query ${q} has no relevant documents`);
  });
  const nq = rankings.length;
  const sums = (ks: readonly number[], perQuery: (hits: boolean[], rel: number, k: number) => number): number[] =>
    ks.map((k) => rankings.reduce((s, ranking, q) => s + perQuery(ranking.slice(0, k).map((id) => relevant[q].has(id)), relevant[q].size, k), 0) / nq);
  const count = (hits: boolean[]) => hits.filter(Boolean).length;

  const out: Record<string, number> = {};
  const put = (name: string, ks: readonly number[], values: number[]) => ks.forEach((k, i) => (out[`${name}@${k}`] = values[i]));
  put('accuracy', cutoffs.accuracyAtK, sums(cutoffs.accuracyAtK, (hits) => (hits.some(Boolean) ? 1 : 0)));
  put('precision', cutoffs.precisionRecallAtK, sums(cutoffs.precisionRecallAtK, (hits, _rel, k) => count(hits) / k));
  put('recall', cutoffs.precisionRecallAtK, sums(cutoffs.precisionRecallAtK, (hits, rel) => count(hits) / rel));
  put('ndcg', cutoffs.ndcgAtK, sums(cutoffs.ndcgAtK, (hits, rel, k) => dcgAtK(hits.map(Number), k) / dcgAtK(new Array<number>(rel).fill(1), k)));
  put('mrr', cutoffs.mrrAtK, sums(cutoffs.mrrAtK, (hits) => {
    const first = hits.indexOf(true);
    return first < 0 ? 0 : 1 / (first + 1);
  }));
  put('map', cutoffs.mapAtK, sums(cutoffs.mapAtK, (hits, rel, k) => {
    let correct = 0;
    let sumPrecisions = 0;
    hits.forEach((h, rank) => {
      if (h) sumPrecisions += ++correct / (rank + 1);
    });
    return sumPrecisions / Math.min(k, rel);
  }));
  return out;
}
