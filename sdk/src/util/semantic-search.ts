// semanticSearch: the top-k most similar corpus rows for every query row, as sentence-transformers'
// util.semantic_search. Queries and corpus are cut into chunks so the score matrix stays small; each chunk's
// top-k comes from tf.topk and is read back once, then merged with the previous chunks' hits.
//
// Ties: equal scores are ordered by lower corpus index first (tf.topk's order), so results are deterministic.
import * as tf from '@tensorflow/tfjs';
import { matrixSimilarity, type MatrixSimilarityName } from '../losses/similarity';
import { type EmbeddingsInput, withTensors2D } from './embeddings-input';

export interface SearchHit {
  /** Row index in the corpus embeddings. */
  corpusId: number;
  score: number;
}

/** A sentence-transformers score function name, or any function returning a [Nq, Nc] score matrix (higher = more similar). */
export type ScoreFunction = MatrixSimilarityName | ((a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D);

export interface SemanticSearchOptions {
  /** Hits kept per query. Default 10. */
  topK?: number;
  /** Queries scored at once. Default 100. */
  queryChunkSize?: number;
  /** Corpus rows scored at once. Default 500000. */
  corpusChunkSize?: number;
  /** Default 'cos_sim'. */
  scoreFunction?: ScoreFunction;
}

export function resolveScoreFunction(fn: ScoreFunction, caller: string): (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D {
  if (typeof fn === 'function') return fn;
  const named = (matrixSimilarity as Record<string, (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D>)[fn];
  if (!named) throw new Error(`${caller}: scoreFunction '${fn}' is not one of ${Object.keys(matrixSimilarity).join(', ')}`);
  return named;
}

export function checkPositiveInteger(value: number, name: string, caller: string): void {
  if (!Number.isInteger(value) || value < 1) throw new Error(`${caller}: ${name} must be a positive integer; got ${value}`);
}

/** Hits sorted best first: higher score, then lower corpus id. */
export function compareHits(a: SearchHit, b: SearchHit): number {
  return b.score - a.score || a.corpusId - b.corpusId;
}

/** The best k of two hit lists. */
export function mergeHits(current: SearchHit[], incoming: SearchHit[], k: number): SearchHit[] {
  return current.concat(incoming).sort(compareHits).slice(0, k);
}

/**
 * Row-wise top-k of scoreFn(queries, corpus), read back once: hits[q] best first, corpus ids offset by
 * corpusOffset (the chunk's start in the whole corpus).
 */
export async function chunkTopK(
  scoreFn: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D,
  queries: tf.Tensor2D,
  corpus: tf.Tensor2D,
  k: number,
  corpusOffset = 0,
): Promise<SearchHit[][]> {
  const kk = Math.min(k, corpus.shape[0]);
  const [nq] = queries.shape;
  if (kk === 0 || nq === 0) return Array.from({ length: nq }, () => []);
  const { values, indices } = tf.tidy(() => tf.topk(scoreFn(queries, corpus), kk, true));
  try {
    const [v, ix] = await Promise.all([values.data(), indices.data()]);
    return Array.from({ length: nq }, (_, q) =>
      Array.from({ length: kk }, (_, t) => ({ corpusId: ix[q * kk + t] + corpusOffset, score: v[q * kk + t] })),
    );
  } finally {
    values.dispose();
    indices.dispose();
  }
}

export async function semanticSearch(
  queryEmbeddings: EmbeddingsInput,
  corpusEmbeddings: EmbeddingsInput,
  options: SemanticSearchOptions = {},
): Promise<SearchHit[][]> {
  const { topK = 10, queryChunkSize = 100, corpusChunkSize = 500000, scoreFunction = 'cos_sim' } = options;
  checkPositiveInteger(topK, 'topK', 'semanticSearch');
  checkPositiveInteger(queryChunkSize, 'queryChunkSize', 'semanticSearch');
  checkPositiveInteger(corpusChunkSize, 'corpusChunkSize', 'semanticSearch');
  const scoreFn = resolveScoreFunction(scoreFunction, 'semanticSearch');
  return withTensors2D(
    [
      { input: queryEmbeddings, what: 'semanticSearch: queryEmbeddings' },
      { input: corpusEmbeddings, what: 'semanticSearch: corpusEmbeddings' },
    ],
    async (queries, corpus) => {
      if (queries.shape[0] > 0 && corpus.shape[0] > 0 && queries.shape[1] !== corpus.shape[1]) {
        throw new Error(
          `semanticSearch: queryEmbeddings have dimension ${queries.shape[1]} but corpusEmbeddings have ${corpus.shape[1]}`,
        );
      }
      const [nq] = queries.shape;
      const [nc] = corpus.shape;
      const results: SearchHit[][] = Array.from({ length: nq }, () => []);
      for (let qs = 0; qs < nq; qs += queryChunkSize) {
        const qn = Math.min(queryChunkSize, nq - qs);
        const qChunk = tf.slice(queries, [qs, 0], [qn, -1]);
        try {
          for (let cs = 0; cs < nc; cs += corpusChunkSize) {
            const cn = Math.min(corpusChunkSize, nc - cs);
            const cChunk = tf.slice(corpus, [cs, 0], [cn, -1]);
            try {
              const hits = await chunkTopK(scoreFn, qChunk, cChunk, topK, cs);
              hits.forEach((h, q) => (results[qs + q] = mergeHits(results[qs + q], h, topK)));
            } finally {
              cChunk.dispose();
            }
          }
        } finally {
          qChunk.dispose();
        }
      }
      return results;
    },
  );
}
