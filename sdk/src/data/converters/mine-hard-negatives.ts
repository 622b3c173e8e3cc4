// (anchor, positive) pairs → (anchor, positive, negative) triplets or (anchor, positive, negative_1..n)
// tuples with hard negatives, as sentence-transformers' util.mine_hard_negatives (use_faiss=False):
//   1. the corpus = `corpus` + every positive (deduplicated); anchors deduplicated (an anchor repeated with
//      several positives keeps them all as positives);
//   2. anchors and corpus are encoded (normalised) and, for every anchor, the rangeMax + maxPositives most
//      similar corpus texts are found by exact search (model.similarity, tiled, on the active backend);
//   3. candidates are dropped when they are a positive of the anchor, score + margin > the anchor's
//      lowest positive score (absolute margin), score > pos − |pos|·relativeMargin, score > maxScore or
//      score < minScore;
//   4. of the remaining candidates ranked by score, the first rangeMin are skipped and, within the
//      first rangeMax, numNegatives are taken: the best ('top') or at random ('random', seeded);
//   5. 'triplet' gives one row per (anchor, positive, negative), 'n-tuple' one row per (anchor, positive)
//      holding numNegatives negatives (rows without enough negatives are dropped).
// Defaults as the library: numNegatives 3, rangeMin 0, rangeMax = rangeMin + numNegatives + maxPositives
// (× 10 negatives when a margin or maxScore filters candidates), samplingStrategy 'top', 'triplet'.
import * as tf from '@tensorflow/tfjs';
import { pairwiseCosSim, pairwiseDotScore, pairwiseEuclideanSim, pairwiseManhattanSim } from '../../losses/similarity';
import type { SentenceTransformer } from '../../sentence-transformer';
import { Rng } from '../../util/random';
import { Dataset } from '../dataset';
import type { Row } from '../types';
import { asDataset, pickTextColumns, textsOf, type DatasetInput } from './input';
import { topKSearch } from './top-k-search';

export interface MineHardNegativesOptions {
  /** The anchor / query column (default: the first text column). */
  anchorColumn?: string;
  /** The positive column (default: the second text column). */
  positiveColumn?: string;
  /** Extra candidate texts besides the positives. */
  corpus?: readonly string[];
  /** Negatives per (anchor, positive) (default 3). */
  numNegatives?: number;
  /** Skip this many of the most similar candidates (default 0): they may be unlabelled positives. */
  rangeMin?: number;
  /** Consider only this many of the most similar candidates. */
  rangeMax?: number;
  /** Drop candidates scoring above this. */
  maxScore?: number;
  /** Drop candidates scoring below this. */
  minScore?: number;
  /** Absolute margin: drop candidates with score + margin > the positive's score. */
  margin?: number;
  /** Relative margin: drop candidates with score > pos − |pos|·relativeMargin (0.05 = NV-Retriever's TopK-PercPos 95%). */
  relativeMargin?: number;
  samplingStrategy?: 'top' | 'random';
  outputFormat?: 'triplet' | 'n-tuple';
  /** Add a `scores` label column: [pos, neg] per triplet, [pos, neg_1..n] per tuple. */
  outputScores?: boolean;
  /** Encoding batch size (default 32). */
  batchSize?: number;
  /** Queries per similarity tile (default 1024). */
  searchBatchSize?: number;
  /** For 'random' sampling (default 42). */
  seed?: number;
  /** Print a summary of what was mined and skipped (default true, as the library). */
  verbose?: boolean;
}

/** What the mining found, also printed when verbose. */
export interface MiningSummary {
  queries: number;
  corpus: number;
  rangeMax: number;
  skipped: Record<'margin' | 'relativeMargin' | 'maxScore' | 'minScore', number>;
  rowsOut: number;
  /** Anchor-positive rows that got fewer than numNegatives negatives. */
  short: number;
  meanPositiveScore: number;
  meanNegativeScore: number;
}

export async function mineHardNegatives<R extends object>(
  data: DatasetInput<R>,
  model: SentenceTransformer,
  options: MineHardNegativesOptions = {},
): Promise<Dataset<Row>> {
  return (await mineHardNegativesWithSummary(data, model, options)).dataset;
}

export async function mineHardNegativesWithSummary<R extends object>(
  data: DatasetInput<R>,
  model: SentenceTransformer,
  options: MineHardNegativesOptions = {},
): Promise<{ dataset: Dataset<Row>; summary: MiningSummary }> {
  const name = 'mineHardNegatives';
  const ds = asDataset(data, name);
  if (ds.length === 0) throw new Error(`${name}: the dataset is empty`);
  const [anchorCol, positiveCol] =
    options.anchorColumn !== undefined || options.positiveColumn !== undefined
      ? pickTextColumns(ds, 2, name, [options.anchorColumn ?? ds.textColumns[0], options.positiveColumn ?? ds.textColumns[1]])
      : pickTextColumns(ds, 2, name);
  const anchors = textsOf(ds, anchorCol, name);
  const positives = textsOf(ds, positiveCol, name);

  const numNegatives = options.numNegatives ?? 3;
  if (!Number.isInteger(numNegatives) || numNegatives < 1) throw new Error(`${name}: numNegatives must be an integer ≥ 1; got ${numNegatives}`);
  const rangeMin = options.rangeMin ?? 0;
  if (!Number.isInteger(rangeMin) || rangeMin < 0) throw new Error(`${name}: rangeMin must be a non-negative integer; got ${rangeMin}`);

  // Unique anchors (in order) and their distinct positives as corpus indices.
  const corpus = [...new Set([...(options.corpus ?? []), ...positives])];
  const corpusIndex = new Map(corpus.map((t, i) => [t, i]));
  const queries = [...new Set(anchors)];
  const queryIndex = new Map(queries.map((t, i) => [t, i]));
  const rowsPerQuery = new Array<number>(queries.length).fill(0);
  const positiveIds: number[][] = queries.map(() => []);
  anchors.forEach((a, i) => {
    const q = queryIndex.get(a) as number;
    rowsPerQuery[q]++;
    const p = corpusIndex.get(positives[i]) as number;
    if (!positiveIds[q].includes(p)) positiveIds[q].push(p);
  });
  const maxPositives = Math.max(...rowsPerQuery);
  const filtering = options.margin !== undefined || options.relativeMargin !== undefined || options.maxScore !== undefined;
  const rangeMax = options.rangeMax ?? rangeMin + (filtering ? numNegatives * 10 : numNegatives) + maxPositives;
  if (rangeMin >= rangeMax) throw new Error(`${name}: rangeMin must be smaller than rangeMax; got rangeMin=${rangeMin} and rangeMax=${rangeMax}`);
  if (numNegatives > rangeMax - rangeMin) {
    throw new Error(`${name}: cannot mine ${numNegatives} negatives per anchor: only ${rangeMax - rangeMin} candidates remain after skipping the first rangeMin=${rangeMin} of rangeMax=${rangeMax}`);
  }

  // Encode, search, score the positives: all tensors freed here; one read-back per tile.
  const batchSize = options.batchSize ?? 32;
  const corpusEmb = await model.encode(corpus, { batchSize, normalizeEmbeddings: true, convertTo: 'tensor' });
  let queryEmb: tf.Tensor2D | undefined;
  let search: Awaited<ReturnType<typeof topKSearch>>;
  let positiveScores: Float32Array;
  try {
    queryEmb = await model.encode(queries, { batchSize, normalizeEmbeddings: true, convertTo: 'tensor' });
    const qe = queryEmb;
    // cosine / dot are one matMul per tile; euclidean / manhattan broadcast [q, c, d], so their tiles shrink with d.
    const broadcast = model.similarityFnName === 'euclidean' || model.similarityFnName === 'manhattan';
    const dim = qe.shape[1];
    search = await topKSearch(qe, corpusEmb, {
      k: rangeMax + maxPositives,
      similarity: (a, b) => model.similarity(a, b),
      queryTile: options.searchBatchSize ?? (broadcast ? 64 : 1024),
      corpusTile: broadcast ? Math.max(16, Math.floor(2 ** 22 / (64 * dim))) : 8192,
    });
    const pairQ = positiveIds.flatMap((ps, q) => ps.map(() => q));
    const pairP = positiveIds.flat();
    const pos = tf.tidy(() => {
      const pairwise = pairwiseFor(model.similarityFnName);
      return pairwise(tf.gather(qe, tf.tensor1d(pairQ, 'int32')), tf.gather(corpusEmb, tf.tensor1d(pairP, 'int32')));
    });
    positiveScores = (await pos.data()) as Float32Array;
    pos.dispose();
  } finally {
    corpusEmb.dispose();
    queryEmb?.dispose();
  }

  // Candidate filtering and selection, per anchor, on the read-back scores.
  const width = rangeMax + maxPositives;
  const skipped = { margin: 0, relativeMargin: 0, maxScore: 0, minScore: 0 };
  const rng = new Rng(options.seed ?? 42);
  const chosen: { index: number; score: number }[][] = [];
  let offset = 0;
  for (let q = 0; q < queries.length; q++) {
    const own = positiveScores.subarray(offset, offset + positiveIds[q].length);
    offset += positiveIds[q].length;
    const minPositive = Math.min(...own);
    const candidates: { index: number; score: number }[] = [];
    for (let j = 0; j < width; j++) {
      let index = -1;
      let score = -Infinity;
      if (j < search.k) {
        index = search.indices[q * search.k + j];
        score = search.scores[q * search.k + j];
      }
      if (index < 0 || positiveIds[q].includes(index)) score = -Infinity;
      if (score !== -Infinity && options.margin !== undefined && score + options.margin > minPositive) {
        skipped.margin++;
        score = -Infinity;
      }
      if (score !== -Infinity && options.relativeMargin !== undefined && score > minPositive - Math.abs(minPositive) * options.relativeMargin) {
        skipped.relativeMargin++;
        score = -Infinity;
      }
      if (score !== -Infinity && options.maxScore !== undefined && score > options.maxScore) {
        skipped.maxScore++;
        score = -Infinity;
      }
      if (score !== -Infinity && options.minScore !== undefined && score < options.minScore) {
        skipped.minScore++;
        score = -Infinity;
      }
      candidates.push({ index, score });
    }
    // Best first (stable, so equal scores keep search order); then the rangeMin..rangeMax window.
    const window = candidates
      .map((c, j) => ({ ...c, j }))
      .sort((a, b) => b.score - a.score || a.j - b.j)
      .slice(0, rangeMax)
      .slice(rangeMin);
    let picked: { index: number; score: number }[];
    if ((options.samplingStrategy ?? 'top') === 'top') {
      picked = window.slice(0, numNegatives);
    } else {
      // As the library: draw among the finite candidates (at least numNegatives slots), then re-sort.
      const finite = window.filter((c) => c.score !== -Infinity).length;
      const options_ = Math.min(window.length, Math.max(finite, numNegatives));
      picked = rng
        .sample(options_, numNegatives)
        .map((k) => window[k])
        .sort((a, b) => b.score - a.score);
    }
    chosen.push(picked.map(({ index, score }) => ({ index, score })));
  }

  const format = options.outputFormat ?? 'triplet';
  const out: Record<string, (string | number[])[]> = { [anchorCol]: [], [positiveCol]: [] };
  const negCols = format === 'triplet' ? ['negative'] : Array.from({ length: numNegatives }, (_, k) => `negative_${k + 1}`);
  for (const c of negCols) out[c] = [];
  if (options.outputScores) out.scores = [];
  let short = 0;
  let negSum = 0;
  let negCount = 0;
  let posSum = 0;
  let pairIndex = 0;
  queries.forEach((query, q) => {
    const negatives = chosen[q].filter((c) => c.score !== -Infinity);
    for (const p of positiveIds[q]) {
      const posScore = positiveScores[pairIndex++];
      posSum += posScore;
      if (negatives.length < numNegatives) short++;
      if (format === 'triplet') {
        for (const n of negatives) {
          out[anchorCol].push(query);
          out[positiveCol].push(corpus[p]);
          out.negative.push(corpus[n.index]);
          if (options.outputScores) out.scores.push([posScore, n.score]);
          negSum += n.score;
          negCount++;
        }
      } else if (negatives.length === numNegatives) {
        out[anchorCol].push(query);
        out[positiveCol].push(corpus[p]);
        negatives.forEach((n, k) => out[negCols[k]].push(corpus[n.index]));
        if (options.outputScores) out.scores.push([posScore, ...negatives.map((n) => n.score)]);
        for (const n of negatives) negSum += n.score;
        negCount += negatives.length;
      }
    }
  });
  const summary: MiningSummary = {
    queries: queries.length,
    corpus: corpus.length,
    rangeMax,
    skipped,
    rowsOut: out[anchorCol].length,
    short,
    meanPositiveScore: posSum / Math.max(1, pairIndex),
    meanNegativeScore: negCount ? negSum / negCount : NaN,
  };
  if (options.verbose ?? true) printSummary(summary, numNegatives);
  const dataset = Dataset.fromColumns(out, { label: options.outputScores ? 'scores' : null, source: ds.source }) as unknown as Dataset<Row>;
  return { dataset, summary };
}

function pairwiseFor(name: SentenceTransformer['similarityFnName']): (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor1D {
  switch (name) {
    case 'cosine':
      return pairwiseCosSim;
    case 'dot':
      return pairwiseDotScore;
    case 'euclidean':
      return pairwiseEuclideanSim;
    case 'manhattan':
      return pairwiseManhattanSim;
  }
}

function printSummary(s: MiningSummary, numNegatives: number): void {
  const lines = [
    `Mined hard negatives: ${s.queries} unique anchors against ${s.corpus} candidate texts (rangeMax ${s.rangeMax}) → ${s.rowsOut} rows.`,
    `Mean score: positives ${s.meanPositiveScore.toFixed(4)}, negatives ${Number.isNaN(s.meanNegativeScore) ? '—' : s.meanNegativeScore.toFixed(4)}.`,
  ];
  for (const [k, v] of Object.entries(s.skipped)) if (v) lines.push(`Skipped ${v} candidates because of ${k}.`);
  if (s.short) lines.push(`${s.short} anchor-positive pairs got fewer than ${numNegatives} negatives: consider a larger rangeMax or looser margins.`);
  console.log(lines.join('\n'));
}
