import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { paraphraseMining, paraphraseMiningEmbeddings } from '../../../sdk/src/util/paraphrase-mining';
import type { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { SENTENCES, tinyModel } from '../evaluation/tiny-model';
import { utilFixture } from './fixture';

describe('paraphraseMining', () => {
  let model: SentenceTransformer;
  before(async () => {
    await ready();
    model = tinyModel();
  });
  after(() => model.dispose());

  it('matches util.paraphrase_mining_embeddings with chunks, topK and maxPairs', async () => {
    const f = utilFixture.paraphrase_mining;
    const pairs = await paraphraseMiningEmbeddings(f.embeddings, { topK: f.top_k, maxPairs: f.max_pairs, queryChunkSize: 4, corpusChunkSize: 6 });
    assert.deepEqual(pairs.map((p) => [p.i, p.j]), f.pairs.map(([, i, j]) => [i, j]));
    pairs.forEach((p, k) => assert.ok(Math.abs(p.score - f.pairs[k][0]) < 1e-6, `pair ${k}`));
  });

  it('exact pairs on a small example: each pair once, i < j, best first', async () => {
    const pairs = await paraphraseMiningEmbeddings([[1, 0], [0, 1], [1, 0], [-1, 0]], { topK: 1, scoreFunction: 'dot_score' });
    // Row 3's best partner is row 1 (0) ahead of rows 0 and 2 (-1).
    assert.deepEqual(pairs, [{ score: 1, i: 0, j: 2 }, { score: 0, i: 0, j: 1 }, { score: 0, i: 1, j: 3 }]);
  });

  it('encodes texts with the model and finds the same pairs as from its embeddings', async () => {
    const n = tf.memory().numTensors;
    const pairs = await paraphraseMining(model, SENTENCES, { topK: 2 });
    assert.equal(tf.memory().numTensors, n);
    const fromEmbeddings = await paraphraseMiningEmbeddings(await model.encode(SENTENCES), { topK: 2 });
    assert.deepEqual(pairs.map((p) => [p.i, p.j]), fromEmbeddings.map((p) => [p.i, p.j]));
    assert.ok(pairs.every((p, k) => p.i < p.j && (k === 0 || pairs[k - 1].score >= p.score)));
  });
});
