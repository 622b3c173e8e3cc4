import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { TripletEvaluator, tripletAccuracy } from '../../../sdk/src/evaluation/triplet-evaluator';
import type { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { assertClose, fixture } from './fixture';
import { SENTENCES, tinyModel } from './tiny-model';

describe('TripletEvaluator', () => {
  let model: SentenceTransformer;
  const anchors = SENTENCES.slice(0, 4);
  const positives = [SENTENCES[4], SENTENCES[5], SENTENCES[6], SENTENCES[7]];
  const negatives = [SENTENCES[8], SENTENCES[9], SENTENCES[8], SENTENCES[9]];

  before(async () => {
    await ready();
    model = tinyModel('dot');
  });
  after(() => model.dispose());

  it('accuracy with and without a margin, as numpy', () => {
    const t = fixture.triplet;
    t.margins.forEach((m, i) => assertClose(tripletAccuracy(t.positive, t.negative, m), t.accuracy[i], `margin ${m}`));
    assert.equal(tripletAccuracy([1, 2, 3], [0, 2, 4]), 1 / 3);
  });

  it('evaluates with the model similarity and names the metrics', async () => {
    const ev = new TripletEvaluator({ anchors, positives, negatives, name: 'allnli' });
    const n = tf.memory().numTensors;
    const r = await ev.evaluate(model);
    assert.equal(tf.memory().numTensors, n);
    assert.deepEqual(Object.keys(r.metrics), ['allnli_dot_accuracy']);
    assert.equal(r.primaryMetric, 'allnli_dot_accuracy');
    const [a, p, ng] = [await model.encode(anchors), await model.encode(positives), await model.encode(negatives)];
    const dot = (u: number[], v: number[]) => u.reduce((s, x, j) => s + x * v[j], 0);
    const expected = tripletAccuracy(a.map((u, i) => dot(u, p[i])), a.map((u, i) => dot(u, ng[i])));
    assert.equal(r.metrics.allnli_dot_accuracy, expected);
  });

  it('a huge margin makes every triplet wrong; several functions give max_accuracy', async () => {
    const strict = new TripletEvaluator({ anchors, positives, negatives, margin: 1e6 });
    assert.equal((await strict.evaluate(model)).metrics.dot_accuracy, 0);
    const multi = new TripletEvaluator({ anchors, positives, negatives, similarityFnNames: ['cosine', 'euclidean'], margin: { euclidean: 1e6 } });
    const r = await multi.evaluate(model);
    assert.equal(r.metrics.euclidean_accuracy, 0);
    assert.equal(r.metrics.max_accuracy, r.metrics.cosine_accuracy);
    assert.equal(r.primaryMetric, 'max_accuracy');
  });

  it('reads (anchor, positive, negative) columns and names missing rows', () => {
    const cols: Record<string, string[]> = { anchor: anchors, positive: positives, negative: negatives.slice(0, 3) };
    assert.throws(() => TripletEvaluator.fromDataset({ column: (n) => cols[n] }), /TripletEvaluator: anchors has 4 rows but negatives has 3/);
  });
});
