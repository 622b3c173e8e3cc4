import assert from 'node:assert/strict';
import { describe, it, before } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { DenoisingAutoEncoderLoss, denoisingAutoEncoderLoss } from '../../../sdk/src/losses/denoising-auto-encoder-loss';
import { TsdaeDecoder } from '../../../sdk/src/losses/tsdae/decoder';
import type { Batch } from '../../../sdk/src/losses/loss';
import { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { StaticEmbedding } from '../../../sdk/src/modules';
import { defaultTokenizer } from '../../../sdk/src/tokenizers';
import { assertMatchesFiniteDifferences, randomColumns } from './gradient-checks';
import { tinyTransformerModel, trainSteps } from './tiny-models';

const tok = defaultTokenizer();
const H = 32;
const model = (dropout = 0) => tinyTransformerModel({ dropout, seed: 3 });
const batch: Batch = {
  columns: [
    ['cat mat', 'dogs loudly', 'sun hot'],
    ['a cat sits on the mat', 'dogs bark loudly', 'the sun is hot'],
  ],
  columnNames: ['damaged_sentence', 'original_sentence'],
};
const ids = (texts: string[], maxLength?: number) => tf.tensor2d(tok.encodeBatch(texts, { maxLength }).inputIds, undefined, 'int32');

describe('denoisingAutoEncoderLoss (functional) on wasm', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('starts near ln(vocab) with small random weights, and ignores padding targets', () => {
    const m = model();
    const decoder = new TsdaeDecoder(m.transformer!, { seed: 1 });
    const [loss, alone, padded] = tf.tidy(() => {
      const emb = tf.randomNormal([1, H], 0, 1, 'float32', 5) as tf.Tensor2D;
      const target = ids(['dogs bark loudly']);
      const longer = tf.concat([target, tf.fill([1, 4], tok.padTokenId, 'int32')], 1) as tf.Tensor2D;
      const run = (t: tf.Tensor2D, e = emb) => denoisingAutoEncoderLoss([e], undefined, { decoder, targetIds: t, training: false }).arraySync() as number;
      const l = run(ids(batch.columns[1]), tf.randomNormal([3, H], 0, 1, 'float32', 6) as tf.Tensor2D);
      return [l, run(target), run(longer)];
    });
    assert.ok(Math.abs(loss - Math.log(tok.vocabSize)) < 0.5, `loss ${loss} vs ln(vocab) ${Math.log(tok.vocabSize)}`);
    assert.ok(Math.abs(alone - padded) < 1e-5, `pads changed the loss: ${alone} vs ${padded}`);
    decoder.dispose();
    m.dispose();
  });

  it('is causal: logits at position i do not depend on later input tokens; every position sees the sentence embedding', () => {
    const m = model();
    const decoder = new TsdaeDecoder(m.transformer!, { seed: 1 });
    const [same, changedLater, changedByEmbedding] = tf.tidy(() => {
      const emb = tf.randomNormal([1, H], 0, 1, 'float32', 5) as tf.Tensor2D;
      const a = decoder.logits(tf.tensor2d([[101, 2000, 3000, 4000]], undefined, 'int32'), emb, false);
      const b = decoder.logits(tf.tensor2d([[101, 2000, 3000, 5000]], undefined, 'int32'), emb, false);
      const c = decoder.logits(tf.tensor2d([[101, 2000, 3000, 4000]], undefined, 'int32'), tf.mul(emb, -1) as tf.Tensor2D, false);
      const firstThree = (x: tf.Tensor3D) => tf.slice(x, [0, 0, 0], [1, 3, -1]);
      return [
        tf.max(tf.abs(tf.sub(firstThree(a), firstThree(b)))).arraySync() as number,
        tf.max(tf.abs(tf.sub(tf.slice(a, [0, 3, 0], [1, 1, -1]), tf.slice(b, [0, 3, 0], [1, 1, -1])))).arraySync() as number,
        tf.min(tf.max(tf.abs(tf.sub(a, c)), 2)).arraySync() as number,
      ];
    });
    assert.ok(same < 1e-5, `earlier positions changed by ${same}`);
    assert.ok(changedLater > 1e-4, `the changed position itself did not change (${changedLater})`);
    assert.ok(changedByEmbedding > 1e-4, `some position ignores the sentence embedding (${changedByEmbedding})`);
    decoder.dispose();
    m.dispose();
  });

  it('its gradient w.r.t. the sentence embedding matches finite differences', () => {
    const m = model();
    const decoder = new TsdaeDecoder(m.transformer!, { seed: 2 });
    const targetIds = ids(batch.columns[1].slice(0, 2));
    assertMatchesFiniteDifferences((e) => denoisingAutoEncoderLoss(e, undefined, { decoder, targetIds, training: false }), randomColumns(4, 1, 2, H), 'TSDAE');
    targetIds.dispose();
    decoder.dispose();
    m.dispose();
  });

  it('rejects inputs with messages that name them', () => {
    const m = model();
    const decoder = new TsdaeDecoder(m.transformer!);
    const e = tf.zeros([2, H]) as tf.Tensor2D;
    const t = ids(['a b', 'c d']);
    assert.throws(() => denoisingAutoEncoderLoss([], undefined, { decoder, targetIds: t }), /expects \(damaged_sentence, original_sentence\) pairs.*got 0 embedding columns/);
    assert.throws(() => denoisingAutoEncoderLoss([e], undefined, { decoder, targetIds: ids(['a']) }), /2 damaged sentences but 1 rows of target ids/);
    assert.throws(() => denoisingAutoEncoderLoss([tf.zeros([2, 8]) as tf.Tensor2D], undefined, { decoder, targetIds: t }), /sentence embeddings must be \[2, 32\].*got \[2,8\]/);
    assert.throws(() => denoisingAutoEncoderLoss([e], undefined, { decoder, targetIds: tf.zeros([2, 1], 'int32') as tf.Tensor2D }), /at least 2 tokens per row/);
    decoder.dispose();
    m.dispose();
  });
});

describe('DenoisingAutoEncoderLoss (class) on wasm', () => {
  before(async () => {
    await ready();
    await useBackend('wasm');
  });

  it('trains: the loss decreases over a few steps and the tensor count stays flat', () => {
    const m = model(0.1);
    const loss = new DenoisingAutoEncoderLoss(m, { seed: 3 });
    const evaluate = () => tf.tidy(() => denoisingAutoEncoderLoss(loss.embedColumns(batch), undefined, { decoder: loss.decoder, targetIds: ids(batch.columns[1], 16), training: false }).arraySync() as number);
    const before = evaluate();
    trainSteps(loss, batch, 6);
    const after = evaluate();
    assert.ok(after < before - 0.5, `loss ${before} → ${after}`);
    loss.dispose();
    m.dispose();
  });

  it('tied (default): the decoder uses the encoder variables, and updating them through the decoder changes the encoder', () => {
    const m = model();
    const loss = new DenoisingAutoEncoderLoss(m);
    const enc = m.transformer!;
    assert.equal(loss.decoder.base, enc);
    assert.equal(loss.decoder.base.wordEmbeddings, enc.wordEmbeddings);
    // trainableWeights: the model's, then cross-attention (2 layers × 10) and the LM head (5), no duplicates.
    const vars = loss.trainableWeights();
    assert.equal(new Set(vars).size, vars.length);
    assert.equal(vars.length, m.trainableWeights().length + 2 * 10 + 5);
    const before = tf.tidy(() => m.embed(['dogs bark']).arraySync());
    // A gradient step through the decoder's word embeddings only.
    const { value, grads } = tf.variableGrads(() => loss.forward(batch), [loss.decoder.base.wordEmbeddings]);
    tf.train.sgd(10).applyGradients(grads);
    tf.dispose([value, ...Object.values(grads)]);
    const after = tf.tidy(() => m.embed(['dogs bark']).arraySync());
    assert.notDeepEqual(after, before, 'the encoder did not see the decoder update');
    loss.dispose();
    m.dispose();
  });

  it('untied: the decoder trains its own copy and the encoder stays as it was', () => {
    const m = model();
    const loss = new DenoisingAutoEncoderLoss(m, { tieEncoderDecoder: false });
    assert.notEqual(loss.decoder.base, m.transformer);
    assert.equal(loss.trainableWeights().length, 2 * m.trainableWeights().length + 2 * 10 + 5);
    const before = tf.tidy(() => m.embed(['dogs bark']).arraySync());
    const { value, grads } = tf.variableGrads(() => loss.forward(batch), [loss.decoder.base.wordEmbeddings]);
    tf.train.sgd(10).applyGradients(grads);
    tf.dispose([value, ...Object.values(grads)]);
    assert.deepEqual(tf.tidy(() => m.embed(['dogs bark']).arraySync()), before);
    const tensors = tf.memory().numTensors;
    loss.dispose();
    assert.equal(tensors - tf.memory().numTensors, m.trainableWeights().length + 2 * 10 + 5, 'dispose frees the copy and the own weights, not the encoder');
    m.dispose();
  });

  it('needs a Transformer model and (damaged, original) columns', () => {
    const s = new SentenceTransformer([StaticEmbedding.random(tok, { dim: 8, seed: 1 })]);
    assert.throws(() => new DenoisingAutoEncoderLoss(s), /DenoisingAutoEncoderLoss needs a model whose first module is a Transformer/);
    s.dispose();
    const m = model();
    assert.throws(() => new DenoisingAutoEncoderLoss(m, { decoderNameOrPath: 'bert-base-uncased' } as never), /decoderNameOrPath is not supported/);
    const loss = new DenoisingAutoEncoderLoss(m);
    assert.throws(() => loss.forward({ columns: [['a']], columnNames: ['text'] }), /expects 2 text columns \(damaged_sentence, original_sentence\); got 1 \(text\). Make them from single sentences with tsdaeNoise\(data\)/);
    assert.throws(() => loss.computeFromEmbeddings([tf.zeros([1, H]) as tf.Tensor2D]), /needs the original sentences of the batch: call forward\(batch\)/);
    loss.dispose();
    m.dispose();
  });
});
