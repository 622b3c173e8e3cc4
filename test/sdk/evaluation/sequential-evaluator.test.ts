import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ready } from '../../../sdk/src/backend';
import { EmbeddingSimilarityEvaluator } from '../../../sdk/src/evaluation/embedding-similarity-evaluator';
import { SequentialEvaluator } from '../../../sdk/src/evaluation/sequential-evaluator';
import { TripletEvaluator } from '../../../sdk/src/evaluation/triplet-evaluator';
import type { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { SENTENCES, tinyModel } from './tiny-model';

describe('SequentialEvaluator', () => {
  let model: SentenceTransformer;
  before(async () => {
    await ready();
    model = tinyModel();
  });
  after(() => model.dispose());

  const sts = new EmbeddingSimilarityEvaluator({ sentences1: SENTENCES.slice(0, 4), sentences2: SENTENCES.slice(4, 8), scores: [5, 1, 0, 4], name: 'sts' });
  const triplets = new TripletEvaluator({ anchors: SENTENCES.slice(0, 3), positives: SENTENCES.slice(4, 7), negatives: SENTENCES.slice(7, 10), name: 'nli' });

  it('merges the metrics; sequential_score is the last primary by default', async () => {
    const r = await new SequentialEvaluator([sts, triplets]).evaluate(model);
    assert.deepEqual(Object.keys(r.metrics), ['sts_pearson_cosine', 'sts_spearman_cosine', 'nli_cosine_accuracy', 'sequential_score']);
    assert.equal(r.metrics.sequential_score, r.metrics.nli_cosine_accuracy);
    assert.equal(r.primaryMetric, 'sequential_score');
  });

  it('mainScoreFunction combines the primaries in order', async () => {
    const mean = new SequentialEvaluator([sts, triplets], { mainScoreFunction: (s) => (s[0] + s[1]) / 2 });
    const r = await mean.evaluate(model);
    assert.equal(r.metrics.sequential_score, (r.metrics.sts_spearman_cosine + r.metrics.nli_cosine_accuracy) / 2);
    assert.throws(() => new SequentialEvaluator([]), /SequentialEvaluator needs at least one evaluator/);
  });
});
