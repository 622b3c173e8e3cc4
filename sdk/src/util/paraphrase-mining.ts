// paraphraseMining: the most similar pairs among a list of texts, as sentence-transformers'
// util.paraphrase_mining. Every text is compared with every other in chunks; each row keeps its topK + 1
// best (the text itself is always among them) and the pairs are deduplicated as (i < j).
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { encodeToTensor, type EmbeddingsInput, type EncodeSettings, withTensors2D } from './embeddings-input';
import { checkPositiveInteger, chunkTopK, resolveScoreFunction, type ScoreFunction } from './semantic-search';

export interface ParaphrasePair {
  score: number;
  /** The smaller index of the pair. */
  i: number;
  j: number;
}

export interface ParaphraseMiningEmbeddingsOptions {
  /** Rows compared at once as queries. Default 5000. */
  queryChunkSize?: number;
  /** Rows compared at once as corpus. Default 100000. */
  corpusChunkSize?: number;
  /** Pairs returned at most. Default 500000. */
  maxPairs?: number;
  /** Best partners kept per text. Default 100. */
  topK?: number;
  /** Default 'cos_sim'. */
  scoreFunction?: ScoreFunction;
}

export interface ParaphraseMiningOptions extends ParaphraseMiningEmbeddingsOptions, EncodeSettings {}

/** Pairs sorted by descending score (ties: lower i, then lower j), at most maxPairs. */
export async function paraphraseMiningEmbeddings(
  embeddings: EmbeddingsInput,
  options: ParaphraseMiningEmbeddingsOptions = {},
): Promise<ParaphrasePair[]> {
  const { queryChunkSize = 5000, corpusChunkSize = 100000, maxPairs = 500000, topK = 100, scoreFunction = 'cos_sim' } = options;
  const caller = 'paraphraseMining';
  checkPositiveInteger(queryChunkSize, 'queryChunkSize', caller);
  checkPositiveInteger(corpusChunkSize, 'corpusChunkSize', caller);
  checkPositiveInteger(maxPairs, 'maxPairs', caller);
  checkPositiveInteger(topK, 'topK', caller);
  const scoreFn = resolveScoreFunction(scoreFunction, caller);
  return withTensors2D([{ input: embeddings, what: `${caller}: embeddings` }], async (emb) => {
    const n = emb.shape[0];
    const best = new Map<number, ParaphrasePair>();
    for (let cs = 0; cs < n; cs += corpusChunkSize) {
      const corpus = tf.slice(emb, [cs, 0], [Math.min(corpusChunkSize, n - cs), -1]);
      try {
        for (let qs = 0; qs < n; qs += queryChunkSize) {
          const queries = tf.slice(emb, [qs, 0], [Math.min(queryChunkSize, n - qs), -1]);
          // +1: a text is its own best match, and that pair is dropped.
          const hits = await chunkTopK(scoreFn, queries, corpus, topK + 1, cs).finally(() => queries.dispose());
          hits.forEach((row, q) => {
            for (const { corpusId, score } of row) {
              const a = qs + q;
              if (a === corpusId) continue;
              const [i, j] = a < corpusId ? [a, corpusId] : [corpusId, a];
              const key = i * n + j;
              const seen = best.get(key);
              if (!seen || score > seen.score) best.set(key, { score, i, j });
            }
          });
        }
      } finally {
        corpus.dispose();
      }
    }
    return [...best.values()].sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j).slice(0, maxPairs);
  });
}

/** Encodes the texts with the model, then mines pairs (see paraphraseMiningEmbeddings). */
export async function paraphraseMining(
  model: Pick<SentenceTransformer, 'encode'>,
  texts: readonly string[],
  options: ParaphraseMiningOptions = {},
): Promise<ParaphrasePair[]> {
  const embeddings = await encodeToTensor(model, texts, options);
  try {
    return await paraphraseMiningEmbeddings(embeddings, options);
  } finally {
    embeddings.dispose();
  }
}
