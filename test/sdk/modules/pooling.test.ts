import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { Pooling, type PoolingMode } from '../../../sdk/src/modules';
import { assertClose } from '../../helpers/tf';

before(async () => {
  await ready();
});

// Two sentences, 3 positions, 2 dims; the second sentence has one padding position.
const tokens = [
  [[1, 2], [3, 4], [5, 9]],
  [[2, 0], [4, -2], [100, 100]],
];
const mask = [[1, 1, 1], [1, 1, 0]];

async function pool(mode: PoolingMode | PoolingMode[]): Promise<number[][]> {
  const features = { inputIds: tf.zeros([2, 3], 'int32') as tf.Tensor2D, attentionMask: tf.tensor2d(mask, [2, 3], 'int32'), tokenEmbeddings: tf.tensor3d(tokens) };
  const out = new Pooling(2, { mode }).forward(features, { training: false });
  const v = (await out.sentenceEmbedding!.array()) as number[][];
  tf.dispose([features.inputIds, features.attentionMask, features.tokenEmbeddings, out.sentenceEmbedding!]);
  return v;
}

test('each pooling mode on hand-computed values, padding ignored', async () => {
  assert.deepEqual(await pool('mean'), [[3, 5], [3, -1]]);
  assert.deepEqual(await pool('cls'), [[1, 2], [2, 0]]);
  assert.deepEqual(await pool('max'), [[5, 9], [4, 0]]);
  assert.deepEqual(await pool('lasttoken'), [[5, 9], [4, -2]]);
  const w = await pool('weightedmean');
  assertClose(w[0], [(1 + 6 + 15) / 6, (2 + 8 + 27) / 6], 1e-6, 'weightedmean row 0');
  assertClose(w[1], [(2 + 8) / 3, (0 - 4) / 3], 1e-6, 'weightedmean row 1');
  const s = await pool('mean_sqrt_len_tokens');
  assertClose(s[1], [6 / Math.SQRT2, -2 / Math.SQRT2], 1e-6, 'mean_sqrt_len');
});

test('several modes concatenate in the canonical order (cls, max, mean, ...)', async () => {
  assert.deepEqual(await pool(['mean', 'cls']), [[1, 2, 3, 5], [2, 0, 3, -1]]);
  assert.equal(new Pooling(2, { mode: ['mean', 'cls'] }).getSentenceEmbeddingDimension(), 4);
});

test('bad modes and missing inputs are clear errors', () => {
  assert.throws(() => new Pooling(2, { mode: 'avg' as PoolingMode }), /Pooling: invalid mode 'avg'; valid modes are cls, max, mean/);
  const p = new Pooling(2);
  assert.throws(() => p.forward({ inputIds: tf.zeros([1, 1], 'int32') as tf.Tensor2D, attentionMask: tf.ones([1, 1], 'int32') as tf.Tensor2D }, { training: false }), /Pooling needs token embeddings/);
});
