// Exact nearest-neighbour search on the active tfjs backend: similarities of a tile of queries against
// a tile of the corpus (one matMul), top-k per tile, merged across corpus tiles with a second top-k.
// Memory stays at one [queryTile, corpusTile] matrix; results are read back once per query tile.
import * as tf from '@tensorflow/tfjs';

export interface TopKResult {
  /** [numQueries * k] row-major: the k best scores of each query, descending. */
  scores: Float32Array;
  /** [numQueries * k] corpus indices matching `scores`. */
  indices: Int32Array;
  k: number;
}

export interface TopKOptions {
  k: number;
  /** Similarity matrix of two embedding matrices, [Na, Nb] (e.g. the model's similarity). */
  similarity: (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D;
  queryTile?: number;
  corpusTile?: number;
}

export async function topKSearch(queries: tf.Tensor2D, corpus: tf.Tensor2D, options: TopKOptions): Promise<TopKResult> {
  const nq = queries.shape[0];
  const nc = corpus.shape[0];
  const k = Math.min(options.k, nc);
  const queryTile = options.queryTile ?? 1024;
  const corpusTile = options.corpusTile ?? 8192;
  const scores = new Float32Array(nq * k);
  const indices = new Int32Array(nq * k);
  for (let q0 = 0; q0 < nq; q0 += queryTile) {
    const [values, idx] = tf.tidy(() => {
      const q = tf.slice(queries, [q0, 0], [Math.min(queryTile, nq - q0), -1]);
      const partValues: tf.Tensor2D[] = [];
      const partIndices: tf.Tensor2D[] = [];
      for (let c0 = 0; c0 < nc; c0 += corpusTile) {
        const c = tf.slice(corpus, [c0, 0], [Math.min(corpusTile, nc - c0), -1]);
        const sims = options.similarity(q, c);
        const top = tf.topk(sims, Math.min(k, c.shape[0]));
        partValues.push(top.values as tf.Tensor2D);
        partIndices.push(tf.add(top.indices, tf.scalar(c0, 'int32')) as tf.Tensor2D);
      }
      if (partValues.length === 1) return [partValues[0], partIndices[0]];
      const allValues = tf.concat(partValues, 1);
      const allIndices = tf.concat(partIndices, 1);
      const merged = tf.topk(allValues, k);
      // Map positions in the concatenation back to corpus indices.
      const rows = allValues.shape[0];
      const width = allValues.shape[1];
      const flatPos = tf.add(merged.indices, tf.mul(tf.range(0, rows, 1, 'int32').reshape([rows, 1]), tf.scalar(width, 'int32')));
      const picked = tf.gather(allIndices.reshape([-1]), flatPos.reshape([-1])).reshape([rows, k]);
      return [merged.values, picked];
    });
    const [v, i] = await Promise.all([values.data(), idx.data()]);
    values.dispose();
    idx.dispose();
    scores.set(v as Float32Array, q0 * k);
    indices.set(i as Int32Array, q0 * k);
    // Let the kernel deliver output and interrupts between tiles.
    await new Promise((r) => setImmediate(r));
  }
  return { scores, indices, k };
}
