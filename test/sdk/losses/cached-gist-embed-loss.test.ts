import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { CachedGISTEmbedLoss, cachedGistEmbedLoss, type CachedGISTEmbedLossFunctionalOptions } from '../../../sdk/src/losses/cached-gist-embed-loss';
import { GISTEmbedLoss } from '../../../sdk/src/losses/gist-embed-loss';
import { assertAllClose, assertMatchesFixtureCase } from './gradient-checks';
import { ANCHORS, NEGATIVES, POSITIVES, assertSameGradients, batchOf, gradsToArrays, tinyStaticModel, tinyTransformerModel, trainSteps } from './tiny-models';
import { lossFixturesFor } from '../../reference/fixtures';

// The functional core (cachedGistEmbedLoss) is tested with GIST's oracle in gist-embed-loss.test.ts.
describe('CachedGISTEmbedLoss (GradCache, wasm)', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('equal loss and parameter gradients to GISTEmbedLoss (mini-batches of 4: 4 + 2)', () => {
    const model = tinyTransformerModel({ seed: 10 });
    const guide = tinyTransformerModel({ seed: 11 });
    const options = { guide, temperature: 0.05, margin: 0.02 };
    const batch = batchOf([ANCHORS, POSITIVES, NEGATIVES]);
    const plain = new GISTEmbedLoss(model, options).lossAndGradients(batch);
    const cached = new CachedGISTEmbedLoss(model, { ...options, miniBatchSize: 4 }).lossAndGradients(batch);
    assertAllClose(cached.value.dataSync()[0], plain.value.dataSync()[0], { atol: 1e-5, rtol: 1e-6 });
    tf.dispose([plain.value, cached.value]);
    assertSameGradients(gradsToArrays(cached.grads), gradsToArrays(plain.grads), 1e-4);
    model.dispose();
    guide.dispose();
  });

  it('takes several negative columns and trains with a frozen guide (flat tensor count)', () => {
    const model = tinyTransformerModel({ seed: 12, dropout: 0.1 });
    const guide = tinyStaticModel(4);
    const guideBefore = Array.from(guide.trainableWeights()[0].dataSync().slice(0, 1000));
    const loss = new CachedGISTEmbedLoss(model, { guide, temperature: 0.05, miniBatchSize: 2 });
    const values = trainSteps(loss, batchOf([ANCHORS, POSITIVES, NEGATIVES, NEGATIVES.slice().reverse()], ['a', 'p', 'n1', 'n2']));
    assert.ok(values[values.length - 1] < values[0] * 0.5, `loss ${values.join(' → ')}`);
    assert.deepEqual(Array.from(guide.trainableWeights()[0].dataSync().slice(0, 1000)), guideBefore);
    model.dispose();
    guide.dispose();
  });

  it('refuses a StaticEmbedding model; checks miniBatchSize and the guide', () => {
    const staticModel = tinyStaticModel();
    assert.throws(() => new CachedGISTEmbedLoss(staticModel, { guide: staticModel }), /CachedGISTEmbedLoss is not compatible with a SentenceTransformer model based on a StaticEmbedding .*consider GISTEmbedLoss instead/);
    staticModel.dispose();
    const model = tinyTransformerModel();
    assert.throws(() => new CachedGISTEmbedLoss(model, { guide: model, miniBatchSize: -1 }), /CachedGISTEmbedLoss: miniBatchSize must be a positive integer; got -1/);
    assert.throws(() => new CachedGISTEmbedLoss(model, {} as { guide: never }), /CachedGISTEmbedLoss needs a guide model/);
    model.dispose();
  });
});

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`cachedGistEmbedLoss reference fixtures (torch) on ${backend}`, () => {
    before(async () => {
      await ready();
      await useBackend(backend);
    });
    for (const c of lossFixturesFor('CachedGISTEmbedLoss')) {
      it(c.name, () =>
        assertMatchesFixtureCase(
          (e) => {
            const guide = c.inputs.guideEmbeddings!.map((m) => tf.tensor2d(m));
            try {
              return cachedGistEmbedLoss(e, undefined, { ...(c.options as CachedGISTEmbedLossFunctionalOptions), guideEmbeddings: guide });
            } finally {
              tf.dispose(guide);
            }
          },
          c.inputs.embeddings,
          c.expected,
          c.name,
        ),
      );
    }
  });
}
