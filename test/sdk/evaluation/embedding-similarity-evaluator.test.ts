import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { EmbeddingSimilarityEvaluator, embeddingSimilarityMetrics } from '../../../sdk/src/evaluation/embedding-similarity-evaluator';
import { PAIRWISE_SIMILARITY } from '../../../sdk/src/evaluation/embedding-scores';
import { pearson, spearman } from '../../../sdk/src/evaluation/stats';
import type { SentenceTransformer, SimilarityFnName } from '../../../sdk/src/sentence-transformer';
import { assertClose, assertMetricsClose, fixture } from './fixture';
import { SENTENCES, tinyModel } from './tiny-model';

const FNS: SimilarityFnName[] = ['cosine', 'dot', 'euclidean', 'manhattan'];
const es = fixture.embedding_similarity;

describe('EmbeddingSimilarityEvaluator metrics against scipy', () => {
  before(async () => {
    await ready();
  });

  it('pearson/spearman of every similarity function, and the max over them', () => {
    const metrics = embeddingSimilarityMetrics(es.gold, FNS, FNS.map((fn) => es.similarities[fn]));
    assertMetricsClose(metrics, es.expected, 'metrics');
  });

  it('the tf pairwise similarities match sklearn paired distances', async () => {
    const [a, b] = [tf.tensor2d(es.embeddings1), tf.tensor2d(es.embeddings2)];
    for (const fn of FNS) {
      const s = PAIRWISE_SIMILARITY[fn](a, b);
      const got = await s.data();
      s.dispose();
      es.similarities[fn].forEach((v, i) => assertClose(got[i], v, `${fn} row ${i}`, 1e-5 * Math.max(1, Math.abs(v))));
    }
    tf.dispose([a, b]);
  });
});

describe('EmbeddingSimilarityEvaluator on a model', () => {
  let model: SentenceTransformer;
  const s1 = SENTENCES.slice(0, 5);
  const s2 = SENTENCES.slice(5, 10);
  const gold = [4.5, 1, 0.5, 4.5, 2];

  before(async () => {
    await ready();
    model = tinyModel();
  });
  after(() => model.dispose());

  it('uses the model similarity by default, prefixes the name, and agrees with stats on encode output', async () => {
    const ev = new EmbeddingSimilarityEvaluator({ sentences1: s1, sentences2: s2, scores: gold, name: 'sts-dev' });
    const before = tf.memory().numTensors;
    const r = await ev.evaluate(model);
    assert.equal(tf.memory().numTensors, before, 'no tensors left behind');
    assert.deepEqual(Object.keys(r.metrics), ['sts-dev_pearson_cosine', 'sts-dev_spearman_cosine']);
    assert.equal(r.primaryMetric, 'sts-dev_spearman_cosine');
    assert.equal(ev.primaryMetric, 'sts-dev_spearman_cosine');
    assert.equal(r.greaterIsBetter, true);
    const [e1, e2] = [await model.encode(s1), await model.encode(s2)];
    const cos = e1.map((u, i) => {
      const v = e2[i];
      const dot = u.reduce((s, x, j) => s + x * v[j], 0);
      return dot / Math.hypot(...u) / Math.hypot(...v);
    });
    assertClose(r.metrics['sts-dev_pearson_cosine'], pearson(gold, cos), 'pearson', 1e-5);
    assertClose(r.metrics['sts-dev_spearman_cosine'], spearman(gold, cos), 'spearman', 1e-5);
  });

  it('several functions add the max metrics; mainSimilarity picks the primary', async () => {
    const all = new EmbeddingSimilarityEvaluator({ sentences1: s1, sentences2: s2, scores: gold, similarityFnNames: FNS });
    const r = await all.evaluate(model);
    assert.deepEqual(Object.keys(r.metrics), [...FNS.flatMap((f) => [`pearson_${f}`, `spearman_${f}`]), 'pearson_max', 'spearman_max']);
    assert.equal(r.primaryMetric, 'spearman_max');
    const main = new EmbeddingSimilarityEvaluator({ sentences1: s1, sentences2: s2, scores: gold, similarityFnNames: FNS, mainSimilarity: 'dot' });
    assert.equal((await main.evaluate(model)).primaryMetric, 'spearman_dot');
  });

  it('reads (sentence1, sentence2, score) columns from a dataset', async () => {
    const columns: Record<string, unknown[]> = { sentence1: s1, sentence2: s2, score: gold };
    const ev = EmbeddingSimilarityEvaluator.fromDataset({ column: (n) => columns[n] }, { name: 'ds' });
    assert.deepEqual(ev.scores, gold);
    assert.equal((await ev.evaluate(model)).primaryMetric, 'ds_spearman_cosine');
  });

  it('names the bad input', () => {
    assert.throws(
      () => new EmbeddingSimilarityEvaluator({ sentences1: s1, sentences2: s2.slice(1), scores: gold }),
      /EmbeddingSimilarityEvaluator: sentences1 has 5 rows but sentences2 has 4/,
    );
    assert.throws(
      () => new EmbeddingSimilarityEvaluator({ sentences1: s1, sentences2: s2, scores: [1, 2, Number.NaN, 4, 5] }),
      /EmbeddingSimilarityEvaluator: scores row 2 must be a finite number; found NaN/,
    );
    assert.throws(
      () => new EmbeddingSimilarityEvaluator({ sentences1: s1, sentences2: s2, scores: gold, similarityFnNames: ['cos' as SimilarityFnName] }),
      /similarity function 'cos' is not one of cosine, dot, euclidean, manhattan/,
    );
    assert.throws(
      () => new EmbeddingSimilarityEvaluator({ sentences1: [1 as unknown as string], sentences2: ['x'], scores: [1] }),
      /sentences1 row 0 must be a string; found number 1/,
    );
  });
});
