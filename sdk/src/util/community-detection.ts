// communityDetection: groups of mutually close embeddings, as sentence-transformers'
// util.community_detection (fast clustering). Every row whose cosine similarity is >= threshold with at
// least minCommunitySize rows (itself included) seeds a community of all those rows, ordered by
// similarity to the seed. Larger communities are taken first; a row belongs to one community only.
import * as tf from '@tensorflow/tfjs';
import { normalizeRows } from '../losses/similarity';
import { ProgressBar } from '../progress/progress-bar';
import { type EmbeddingsInput, withTensors2D } from './embeddings-input';
import { checkPositiveInteger } from './semantic-search';

export interface CommunityDetectionOptions {
  /** Cosine similarity at or above which two rows are close. Default 0.75. */
  threshold?: number;
  /** Smallest community kept. Default 10. */
  minCommunitySize?: number;
  /** Rows compared with the whole set at once. Default 1024. */
  batchSize?: number;
  /** A bar over the batches (shown when interactive and there is more than one batch). */
  showProgressBar?: boolean;
}

/** Communities as lists of row indices, largest first. */
export async function communityDetection(embeddings: EmbeddingsInput, options: CommunityDetectionOptions = {}): Promise<number[][]> {
  const { threshold = 0.75, minCommunitySize = 10, batchSize = 1024 } = options;
  if (typeof threshold !== 'number' || Number.isNaN(threshold)) throw new Error(`communityDetection: threshold must be a number; got ${threshold}`);
  checkPositiveInteger(minCommunitySize, 'minCommunitySize', 'communityDetection');
  checkPositiveInteger(batchSize, 'batchSize', 'communityDetection');
  const candidates = await withTensors2D([{ input: embeddings, what: 'communityDetection: embeddings' }], async (emb) => {
    const n = emb.shape[0];
    const minSize = Math.min(minCommunitySize, n);
    const found: number[][] = [];
    const unit = normalizeRows(emb);
    const batches = Math.ceil(n / batchSize);
    const bar = new ProgressBar({ total: batches, description: 'Communities', showProgressBar: batches > 1 ? options.showProgressBar : false });
    try {
      for (let start = 0; start < n; start += batchSize) {
        const b = Math.min(batchSize, n - start);
        const scores = tf.tidy(() => tf.matMul(tf.slice(unit, [start, 0], [b, -1]), unit, false, true));
        try {
          const countsT = tf.tidy(() => tf.sum(tf.cast(tf.greaterEqual(scores, threshold), 'int32'), 1));
          const counts = await countsT.data();
          countsT.dispose();
          const k = Math.max(0, ...Array.from(counts).filter((c) => c >= minSize));
          if (k === 0) continue;
          // One top-k over the batch, as wide as the largest community seeded in it.
          const { values, indices } = tf.topk(scores, k, true);
          const ix = await indices.data();
          values.dispose();
          indices.dispose();
          for (let r = 0; r < b; r++) {
            if (counts[r] >= minSize) found.push(Array.from(ix.subarray(r * k, r * k + counts[r])));
          }
        } finally {
          scores.dispose();
          bar.update(1);
        }
      }
    } finally {
      unit.dispose();
      bar.close();
    }
    return { found, minSize };
  });
  // Largest first (stable, so equal sizes keep seed order); drop rows already taken.
  const taken = new Set<number>();
  const communities: number[][] = [];
  for (const community of candidates.found.sort((a, b) => b.length - a.length)) {
    const rest = community.filter((idx) => !taken.has(idx));
    if (rest.length >= candidates.minSize) {
      communities.push(rest);
      rest.forEach((idx) => taken.add(idx));
    }
  }
  return communities.sort((a, b) => b.length - a.length);
}
