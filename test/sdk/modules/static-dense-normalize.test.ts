import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { StaticEmbedding, Dense, Normalize } from '../../../sdk/src/modules';
import { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { defaultTokenizer } from '../../../sdk/src/tokenizers';
import { assertClose } from '../../helpers/tf';

before(async () => {
  await ready();
});

test('StaticEmbedding averages the token vectors of a sentence, no special tokens', async () => {
  const tok = defaultTokenizer();
  const se = StaticEmbedding.random(tok, { dim: 4, seed: 3 });
  const model = new SentenceTransformer([se]);
  const [e] = await model.encode(['hello world']);
  const table = se.embedding.arraySync();
  const expected = table[7592].map((v, i) => (v + table[2088][i]) / 2);
  assertClose(e, expected, 1e-6, 'mean of hello + world');
  const [empty] = await model.encode(['']);
  assert.deepEqual(empty, [0, 0, 0, 0], 'an empty text is a zero vector, as EmbeddingBag');
  model.dispose();
});

test('StaticEmbedding from GloVe text: word-level vocabulary, vectors in place', async () => {
  const se = StaticEmbedding.fromGloveText('the 1 2\ncat 3 4\nsat 5 6\n');
  assert.equal(se.tokenizer.vocabSize, 5);
  const model = new SentenceTransformer([se]);
  const [e] = await model.encode(['The cat']);
  assert.deepEqual(e, [2, 3]);
  assert.throws(() => StaticEmbedding.fromGloveText('a 1 2\nb 3\n', { source: 'v.txt' }), /v.txt line 2: expected a word and 2 numbers; got 1 values/);
  model.dispose();
});

test('StaticEmbedding loads the shipped GloVe sample', async () => {
  const se = await StaticEmbedding.fromGlove(join(__dirname, '..', '..', '..', 'notebooks', 'data', 'glove-twitter-25d-12k', 'vectors.txt')).catch(() => undefined);
  if (!se) return; // the notebook data copy arrives with the data layer; covered there
  assert.equal(se.getSentenceEmbeddingDimension(), 25);
  se.dispose();
});

test('Dense applies W·x + b then tanh; Normalize gives unit rows and keeps zero rows finite', async () => {
  const dense = new Dense({ inFeatures: 2, outFeatures: 2 }, { weight: tf.tensor2d([[1, 0], [1, 1]]), bias: tf.tensor1d([0, -1]) });
  const f = { inputIds: tf.zeros([2, 1], 'int32') as tf.Tensor2D, attentionMask: tf.ones([2, 1], 'int32') as tf.Tensor2D, sentenceEmbedding: tf.tensor2d([[0.5, 0.25], [0, 0]]) };
  const out = dense.forward(f, { training: false });
  assertClose(await out.sentenceEmbedding!.data(), [Math.tanh(0.5), Math.tanh(-0.25), 0, Math.tanh(-1)], 1e-6, 'dense');
  const n = new Normalize().forward(f, { training: false });
  assertClose(await n.sentenceEmbedding!.data(), [0.5 / Math.hypot(0.5, 0.25), 0.25 / Math.hypot(0.5, 0.25), 0, 0], 1e-6, 'normalize');
  assert.throws(() => new Dense({ inFeatures: 2, outFeatures: 2, activation: 'swish' as 'tanh' }), /Dense: unknown activation 'swish'/);
  tf.dispose([f.inputIds, f.attentionMask, f.sentenceEmbedding, out.sentenceEmbedding!, n.sentenceEmbedding!]);
  dense.dispose();
});
