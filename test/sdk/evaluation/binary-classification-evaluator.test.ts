import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { BinaryClassificationEvaluator, binaryClassificationMetrics } from '../../../sdk/src/evaluation/binary-classification-evaluator';
import type { SentenceTransformer, SimilarityFnName } from '../../../sdk/src/sentence-transformer';
import { assertClose, assertMetricsClose, fixture } from './fixture';
import { SENTENCES, tinyModel } from './tiny-model';

describe('BinaryClassificationEvaluator metrics against sklearn', () => {
  const [random, ties] = fixture.binary_classification;
  for (const fn of ['cosine', 'dot', 'euclidean', 'manhattan'] as SimilarityFnName[]) {
    it(`${fn}: accuracy, F1, precision, recall, thresholds, AP, MCC`, () => {
      const m = binaryClassificationMetrics(random.labels, fn, random.similarities[fn]);
      assertMetricsClose({ ...m }, random.expected[fn], fn);
    });
  }

  it('distances: thresholds are positive distances and AP ranks near pairs first', () => {
    const m = binaryClassificationMetrics(random.labels, 'euclidean', random.similarities.euclidean);
    assert.ok(m.accuracy_threshold > 0 && m.f1_threshold > 0);
    assert.ok(m.ap > 0.8, `AP ${m.ap} should reflect that near pairs are the similar ones`);
  });

  it('tied scores: AP and MCC as sklearn', () => {
    const m = binaryClassificationMetrics(ties.labels, 'cosine', ties.similarities.cosine);
    assertClose(m.ap, ties.expected.cosine.ap, 'ap');
    assertClose(m.mcc, ties.expected.cosine.mcc, 'mcc');
  });
});

describe('BinaryClassificationEvaluator on a model', () => {
  let model: SentenceTransformer;
  // Duplicate texts across the two columns are encoded once.
  const s1 = [SENTENCES[0], SENTENCES[1], SENTENCES[2], SENTENCES[3], SENTENCES[0], SENTENCES[8]];
  const s2 = [SENTENCES[4], SENTENCES[5], SENTENCES[6], SENTENCES[7], SENTENCES[9], SENTENCES[0]];
  const labels = [1, 1, 0, 1, 0, 0];

  before(async () => {
    await ready();
    model = tinyModel();
  });
  after(() => model.dispose());

  it('reports the sentence-transformers keys with the ap as primary', async () => {
    const ev = new BinaryClassificationEvaluator({ sentences1: s1, sentences2: s2, labels, name: 'quora' });
    const n = tf.memory().numTensors;
    const r = await ev.evaluate(model);
    assert.equal(tf.memory().numTensors, n);
    const keys = ['accuracy', 'accuracy_threshold', 'f1', 'f1_threshold', 'precision', 'recall', 'ap', 'mcc'];
    assert.deepEqual(Object.keys(r.metrics), keys.map((k) => `quora_cosine_${k}`));
    assert.equal(r.primaryMetric, 'quora_cosine_ap');
    // The same numbers as the metric function on the model's cosine similarities.
    const [e1, e2] = [await model.encode(s1), await model.encode(s2)];
    const cos = e1.map((u, i) => u.reduce((s, x, j) => s + x * e2[i][j], 0) / Math.hypot(...u) / Math.hypot(...e2[i]));
    const expected = binaryClassificationMetrics(labels, 'cosine', cos);
    for (const k of keys) assertClose(r.metrics[`quora_cosine_${k}`], expected[k as keyof typeof expected], k, 1e-5);
  });

  it('several functions: max_ metrics and max_ap primary', async () => {
    const ev = new BinaryClassificationEvaluator({ sentences1: s1, sentences2: s2, labels, similarityFnNames: ['cosine', 'manhattan'] });
    const r = await ev.evaluate(model);
    assert.equal(r.primaryMetric, 'max_ap');
    assert.equal(r.metrics.max_ap, Math.max(r.metrics.cosine_ap, r.metrics.manhattan_ap));
    assert.equal(Object.keys(r.metrics).length, 24);
  });

  it('rejects labels other than 0 and 1', () => {
    assert.throws(
      () => new BinaryClassificationEvaluator({ sentences1: ['a', 'b'], sentences2: ['c', 'd'], labels: [1, 2] }),
      /BinaryClassificationEvaluator: labels must be 0 or 1; found 2 at row 1/,
    );
  });
});
