import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { semanticSearch } from '../../../sdk/src/util/semantic-search';
import { utilFixture } from './fixture';

describe('semanticSearch', () => {
  before(async () => {
    await ready();
  });
  const f = utilFixture.semantic_search;

  it('matches util.semantic_search: ids in order and scores to 1e-6, chunked or not', async () => {
    for (const options of [{}, { queryChunkSize: 2, corpusChunkSize: 7 }]) {
      const hits = await semanticSearch(f.queries, f.corpus, { topK: f.top_k, ...options });
      assert.deepEqual(hits.map((r) => r.map((h) => h.corpusId)), f.hits.map((r) => r.map((h) => h.corpus_id)));
      hits.flat().forEach((h, i) => assert.ok(Math.abs(h.score - f.hits.flat()[i].score) < 1e-6, `hit ${i}: ${h.score}`));
    }
  });

  it('exact hits on a small example, ties by lower corpus index, dot product', async () => {
    const corpus = [[1, 0], [0, 1], [1, 1], [2, 0], [0, 3]];
    const hits = await semanticSearch([[1, 0], [0, 1]], corpus, { topK: 3, scoreFunction: 'dot_score', corpusChunkSize: 2 });
    assert.deepEqual(hits, [
      [{ corpusId: 3, score: 2 }, { corpusId: 0, score: 1 }, { corpusId: 2, score: 1 }],
      [{ corpusId: 4, score: 3 }, { corpusId: 1, score: 1 }, { corpusId: 2, score: 1 }],
    ]);
  });

  it('takes tensors without disposing them, leaves no tensors, caps topK at the corpus size', async () => {
    const q = tf.tensor2d([[1, 2]]);
    const c = tf.tensor2d([[1, 2], [-1, -2]]);
    const n = tf.memory().numTensors;
    const hits = await semanticSearch(q, c, { topK: 10 });
    assert.equal(tf.memory().numTensors, n);
    assert.deepEqual(hits[0].map((h) => h.corpusId), [0, 1]);
    assert.ok(Math.abs(hits[0][0].score - 1) < 1e-6 && Math.abs(hits[0][1].score + 1) < 1e-6);
    tf.dispose([q, c]);
  });

  it('names bad arguments', async () => {
    await assert.rejects(semanticSearch([[1, 2]], [[1, 2, 3]]), /semanticSearch: queryEmbeddings have dimension 2 but corpusEmbeddings have 3/);
    await assert.rejects(semanticSearch([[1]], [[1]], { topK: 0 }), /semanticSearch: topK must be a positive integer; got 0/);
    await assert.rejects(
      semanticSearch([[1]], [[1]], { scoreFunction: 'cosine' as 'cos_sim' }),
      /semanticSearch: scoreFunction 'cosine' is not one of cos_sim, dot_score, euclidean_sim, manhattan_sim/,
    );
    await assert.rejects(semanticSearch([[1, 2], [3]], [[1, 2]]), /queryEmbeddings: row 1 has 1 values; row 0 has 2/);
  });
});
