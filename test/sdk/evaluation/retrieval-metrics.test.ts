import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retrievalMetrics } from '../../../sdk/src/evaluation/retrieval-metrics';
import { assertMetricsClose, fixture } from './fixture';

describe('retrievalMetrics against the sentence-transformers formulas (cross-checked with sklearn ndcg/AP)', () => {
  for (const c of fixture.information_retrieval) {
    it(`${c.name}: accuracy, precision, recall, ndcg, mrr, map at every cutoff`, () => {
      const cut = { accuracyAtK: c.cutoffs.acc_k, precisionRecallAtK: c.cutoffs.pr_k, mrrAtK: c.cutoffs.mrr_k, ndcgAtK: c.cutoffs.ndcg_k, mapAtK: c.cutoffs.map_k };
      const m = retrievalMetrics(c.rankings, c.relevant.map((r) => new Set(r)), cut);
      assertMetricsClose(m, c.expected, c.name);
    });
  }

  it('a perfect ranking scores 1 everywhere except precision beyond |relevant|', () => {
    const m = retrievalMetrics([['a', 'b', 'x', 'y']], [new Set(['a', 'b'])], {
      accuracyAtK: [1], precisionRecallAtK: [1, 4], mrrAtK: [10], ndcgAtK: [10], mapAtK: [100],
    });
    assert.deepEqual(m, { 'accuracy@1': 1, 'precision@1': 1, 'precision@4': 0.5, 'recall@1': 0.5, 'recall@4': 1, 'ndcg@10': 1, 'mrr@10': 1, 'map@100': 1 });
  });

  it('rejects a query without relevant documents', () => {
    assert.throws(() => retrievalMetrics([['a']], [new Set()]), /retrievalMetrics: query 0 has no relevant documents/);
  });
});
