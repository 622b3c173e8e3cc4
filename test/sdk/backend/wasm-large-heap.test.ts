// Kernels that compute heap offsets in JavaScript must treat them as unsigned: past 2 GiB (MNRL at batch
// 1024 grows the heap to 3.8 GiB) a signed `>> 2` turned row copies into writes at negative indices.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { rowsOfParts } from '../../../sdk/src/backend/rows-of-parts';
import { embeddingBagMean } from '../../../sdk/src/backend/embedding-bag';

let filler: tf.Tensor | undefined;

before(async () => {
  await ready();
  await useBackend('wasm');
  // 2.1 GiB of float32 first, so what follows is allocated past 2^31 bytes.
  filler = tf.zeros([Math.ceil((2.1 * 2 ** 30) / 4)]);
});

after(() => filler?.dispose());

const heapOffset = (t: tf.Tensor): number => (tf.backend() as unknown as { typedArrayFromHeap(t: tf.Tensor): Float32Array }).typedArrayFromHeap(t).byteOffset;

test('gather, rowsOfParts and the bag mean are right for tensors past 2 GiB of wasm heap', async () => {
  const table = tf.tensor2d(Array.from({ length: 5 * 8 }, (_, i) => i), [5, 8]);
  assert.ok(heapOffset(table) > 2 ** 31, `the table sits at byte ${heapOffset(table)}, past 2 GiB`);
  const gathered = tf.gather(table, tf.tensor1d([4, 0, 2], 'int32'));
  assert.ok(heapOffset(gathered) > 2 ** 31);
  const rows = (await table.array()) as number[][];
  assert.deepEqual(await gathered.array(), [rows[4], rows[0], rows[2]]);
  const parts = [tf.slice(table, [0, 0], [2, 8]) as tf.Tensor2D, tf.slice(table, [2, 0], [3, 8]) as tf.Tensor2D];
  assert.deepEqual(await rowsOfParts(parts, Int32Array.from([3, 1, 4])).array(), [rows[3], rows[1], rows[4]]);
  const bag = embeddingBagMean(table, tf.tensor2d([[1, 3]], undefined, 'int32'), tf.tensor2d([[1, 1]], undefined, 'int32'));
  assert.deepEqual(await bag.array(), [rows[1].map((v, j) => (v + rows[3][j]) / 2)]);
});
