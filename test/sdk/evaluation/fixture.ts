// The scipy/sklearn reference values written by test/reference/evaluation.py.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EvaluationFixture {
  correlations: { name: string; x: number[]; y: number[]; pearson: number; spearman: number; rank_x: number[] }[];
  embedding_similarity: {
    embeddings1: number[][];
    embeddings2: number[][];
    gold: number[];
    similarities: Record<'cosine' | 'dot' | 'euclidean' | 'manhattan', number[]>;
    expected: Record<string, number>;
  };
  binary_classification: { name: string; labels: number[]; similarities: Record<string, number[]>; expected: Record<string, Record<string, number>> }[];
  average_precision: { labels: number[]; scores: number[]; ap: number }[];
  mcc: { labels: number[]; predicted: number[]; mcc: number }[];
  triplet: { positive: number[]; negative: number[]; margins: number[]; accuracy: number[] };
  information_retrieval: {
    name: string;
    corpus_ids: string[];
    scores: number[][];
    relevant: string[][];
    cutoffs: { acc_k: number[]; pr_k: number[]; mrr_k: number[]; ndcg_k: number[]; map_k: number[] };
    rankings: string[][];
    expected: Record<string, number>;
  }[];
  mse: { a: number[][]; b: number[][]; negative_mse: number };
}

export const fixture: EvaluationFixture = JSON.parse(readFileSync(join(__dirname, '../../reference/fixtures/evaluation.json'), 'utf8'));

export function assertClose(actual: number, expected: number, what: string, tol = 1e-6): void {
  assert.ok(Math.abs(actual - expected) <= tol, `${what}: expected ${expected}, got ${actual} (|diff| ${Math.abs(actual - expected)} > ${tol})`);
}

/** Same keys in the same order, every value within tol. */
export function assertMetricsClose(actual: Record<string, number>, expected: Record<string, number>, what: string, tol = 1e-6): void {
  assert.deepEqual(Object.keys(actual), Object.keys(expected), `${what}: metric keys`);
  for (const k of Object.keys(expected)) assertClose(actual[k], expected[k], `${what} ${k}`, tol);
}
