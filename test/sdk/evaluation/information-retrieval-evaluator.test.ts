import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { InformationRetrievalEvaluator } from '../../../sdk/src/evaluation/information-retrieval-evaluator';
import { retrievalMetrics, DEFAULT_RETRIEVAL_CUTOFFS } from '../../../sdk/src/evaluation/retrieval-metrics';
import type { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { semanticSearch } from '../../../sdk/src/util/semantic-search';
import { assertClose, fixture } from './fixture';
import { SENTENCES, tinyModel } from './tiny-model';

const queries = { q1: SENTENCES[0], q2: SENTENCES[1], q3: SENTENCES[2], q4: 'a query nobody answers' };
const corpus = Object.fromEntries(SENTENCES.slice(3).map((s, i) => [`d${i}`, s]));
const relevantDocs = { q1: ['d1'], q2: new Set(['d2', 'd6']), q3: ['d3', 'd0', 'd5'] };

describe('InformationRetrievalEvaluator', () => {
  let model: SentenceTransformer;
  before(async () => {
    await ready();
    model = tinyModel();
  });
  after(() => model.dispose());

  it('ranks ties by lower corpus index, as the reference fixture does', async () => {
    for (const c of fixture.information_retrieval) {
      const [nq, nc] = [c.scores.length, c.scores[0].length];
      const hits = await semanticSearch(tf.zeros([nq, 1]) as tf.Tensor2D, tf.zeros([nc, 1]) as tf.Tensor2D, {
        topK: 100,
        scoreFunction: () => tf.tensor2d(c.scores),
      });
      assert.deepEqual(hits.map((row) => row.map((h) => c.corpus_ids[h.corpusId])), c.rankings);
    }
  });

  it('skips queries without relevant documents and reports sentence-transformers keys', async () => {
    const ev = new InformationRetrievalEvaluator({ queries, corpus, relevantDocs, name: 'nq-dev' });
    assert.deepEqual(ev.queryIds, ['q1', 'q2', 'q3']);
    const n = tf.memory().numTensors;
    const r = await ev.evaluate(model);
    assert.equal(tf.memory().numTensors, n);
    const expectedKeys = [
      ...[1, 3, 5, 10].map((k) => `accuracy@${k}`),
      ...[1, 3, 5, 10].map((k) => `precision@${k}`),
      ...[1, 3, 5, 10].map((k) => `recall@${k}`),
      'ndcg@10',
      'mrr@10',
      'map@100',
    ].map((k) => `nq-dev_cosine_${k}`);
    assert.deepEqual(Object.keys(r.metrics), expectedKeys);
    assert.equal(r.primaryMetric, 'nq-dev_cosine_ndcg@10');

    // Same numbers from a brute-force ranking of the model's embeddings.
    const q = await model.encode([SENTENCES[0], SENTENCES[1], SENTENCES[2]]);
    const d = await model.encode(Object.values(corpus));
    const ids = Object.keys(corpus);
    const cos = (u: number[], v: number[]) => u.reduce((s, x, j) => s + x * v[j], 0) / Math.hypot(...u) / Math.hypot(...v);
    const rankings = q.map((u) => ids.map((id, j) => ({ id, s: cos(u, d[j]), j })).sort((a, b) => b.s - a.s || a.j - b.j).map((h) => h.id));
    const expected = retrievalMetrics(rankings, [new Set(['d1']), new Set(['d2', 'd6']), new Set(['d3', 'd0', 'd5'])], DEFAULT_RETRIEVAL_CUTOFFS);
    for (const [k, v] of Object.entries(expected)) assertClose(r.metrics[`nq-dev_cosine_${k}`], v, k, 1e-9);
  });

  it('gives the same metrics when the corpus is searched in chunks', async () => {
    const whole = await new InformationRetrievalEvaluator({ queries, corpus, relevantDocs }).evaluate(model);
    const chunked = await new InformationRetrievalEvaluator({ queries, corpus, relevantDocs, corpusChunkSize: 2 }).evaluate(model);
    assert.deepEqual(chunked.metrics, whole.metrics);
  });

  it('several score functions: the best ndcg is primary unless mainScoreFunction says otherwise', async () => {
    const scoreFunctions = { cos_sim: 'cos_sim', dot_score: 'dot_score' } as const;
    const r = await new InformationRetrievalEvaluator({ queries, corpus, relevantDocs, scoreFunctions, ndcgAtK: [3, 5] }).evaluate(model);
    const best = r.metrics['cos_sim_ndcg@5'] >= r.metrics['dot_score_ndcg@5'] ? 'cos_sim' : 'dot_score';
    assert.equal(r.primaryMetric, `${best}_ndcg@5`);
    assert.ok('dot_score_ndcg@3' in r.metrics);
    const main = await new InformationRetrievalEvaluator({ queries, corpus, relevantDocs, scoreFunctions, mainScoreFunction: 'dot_score' }).evaluate(model);
    assert.equal(main.primaryMetric, 'dot_score_ndcg@10');
  });

  it('names bad inputs', () => {
    assert.throws(() => new InformationRetrievalEvaluator({ queries, corpus, relevantDocs: { qx: ['d1'] } }), /no query has relevant documents/);
    assert.throws(
      () => new InformationRetrievalEvaluator({ queries, corpus, relevantDocs: { q1: 'd1' as unknown as string[] } }),
      /relevantDocs\['q1'\] must be an array or Set of document ids; got string "d1"/,
    );
    assert.throws(() => new InformationRetrievalEvaluator({ queries, corpus, relevantDocs, mapAtK: [0] }), /mapAtK must hold positive integers; found 0/);
  });
  it('fromDataset: distinct texts become queries and documents, each row a relevant pair, extra columns join the corpus', async () => {
    const rows: Record<string, string[]> = {
      query: [SENTENCES[0], SENTENCES[1], SENTENCES[0]],
      passage: [SENTENCES[4], SENTENCES[5], SENTENCES[6]],
      negative: [SENTENCES[7], SENTENCES[4], SENTENCES[8]],
    };
    const source = { column: (n: string) => { if (!(n in rows)) throw new Error(`no column '${n}'`); return rows[n]; } };
    const ev = InformationRetrievalEvaluator.fromDataset(source, { columns: ['query', 'passage'], extraCorpusColumns: ['negative'], name: 'ds' });
    assert.deepEqual(ev.queryIds, ['q0', 'q1']);
    assert.deepEqual(ev.queries, [SENTENCES[0], SENTENCES[1]]);
    assert.deepEqual(ev.corpusIds, ['d0', 'd1', 'd2', 'd3', 'd4']);
    assert.deepEqual(ev.corpus, [SENTENCES[4], SENTENCES[5], SENTENCES[6], SENTENCES[7], SENTENCES[8]]);
    assert.deepEqual([...ev.relevantDocs].map(([q, d]) => [q, [...d]]), [['q0', ['d0', 'd2']], ['q1', ['d1']]]);
    // The same metrics as the explicit constructor on the same maps.
    const explicit = new InformationRetrievalEvaluator({
      queries: { q0: SENTENCES[0], q1: SENTENCES[1] },
      corpus: { d0: SENTENCES[4], d1: SENTENCES[5], d2: SENTENCES[6], d3: SENTENCES[7], d4: SENTENCES[8] },
      relevantDocs: { q0: ['d0', 'd2'], q1: ['d1'] },
      name: 'ds',
    });
    assert.deepEqual((await ev.evaluate(model)).metrics, (await explicit.evaluate(model)).metrics);
    assert.throws(() => InformationRetrievalEvaluator.fromDataset(source), /cannot read column 'anchor': no column 'anchor'/);
    const bad = { column: (n: string) => (n === 'anchor' ? ['a', 7] : ['x', 'y']) };
    assert.throws(() => InformationRetrievalEvaluator.fromDataset(bad), /column 'anchor' row 1 must be a string; found number 7/);
  });
});
