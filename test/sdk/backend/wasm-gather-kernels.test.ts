import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { onBoth } from '../../helpers/on-both-backends';

before(async () => {
  await ready();
});


test('row gather (axis 0) with 2-D indices, float32 and int32, equals cpu exactly', async () => {
  const { wasm, cpu } = await onBoth(async () => {
    const table = tf.tensor2d(Array.from({ length: 12 }, (_, i) => i * 1.5), [4, 3]);
    const ints = tf.tensor2d([[1, 2], [3, 4], [5, 6]], [3, 2], 'int32');
    const ids = tf.tensor2d([[3, 0, 3], [1, 1, 2]], [2, 3], 'int32');
    const a = tf.gather(table, ids);
    const b = tf.gather(ints, tf.tensor1d([2, 0], 'int32'));
    const out = { a: Array.from(await a.data()), shape: a.shape, b: Array.from(await b.data()), dtype: b.dtype };
    tf.dispose([table, ints, ids, a, b]);
    return out;
  });
  assert.deepEqual(wasm.shape, [2, 3, 3]);
  assert.deepEqual(wasm.a.slice(0, 6), [13.5, 15, 16.5, 0, 1.5, 3]);
  assert.deepEqual(wasm.b, [5, 6, 1, 2]);
  assert.equal(wasm.dtype, 'int32');
  assert.deepEqual(wasm, cpu);
});

test('gather along another axis still works (the wasm kernel handles it)', async () => {
  const { wasm, cpu } = await onBoth(async () => {
    const x = tf.tensor2d([[1, 2, 3], [4, 5, 6]]);
    const g = tf.gather(x, tf.tensor1d([2, 0], 'int32'), 1);
    const out = Array.from(await g.data());
    tf.dispose([x, g]);
    return out;
  });
  assert.deepEqual(wasm, [3, 1, 6, 4]);
  assert.deepEqual(wasm, cpu);
});

test('row gather rejects an index outside the table, naming it, and frees its output', async () => {
  await useBackend('wasm');
  const table = tf.zeros([4, 2]);
  const backend = tf.engine().backend;
  const ids = backend.numDataIds();
  assert.throws(() => tf.gather(table, tf.tensor1d([1, 4], 'int32')), /GatherV2: the index value 4 is not in \[0, 3\]/);
  assert.ok(backend.numDataIds() <= ids + 1, 'only the indices tensor may remain');
  table.dispose();
});

test('UnsortedSegmentSum on wasm adds rows per segment, drops out-of-range ids, matches cpu', async () => {
  const { wasm, cpu } = await onBoth(async () => {
    const x = tf.tensor2d([[1, 2], [3, 4], [5, 6], [7, 8]]);
    const s = tf.unsortedSegmentSum(x, tf.tensor1d([2, 0, 2, 1], 'int32'), 3);
    const out = Array.from(await s.data());
    tf.dispose([x, s]);
    return out;
  });
  assert.deepEqual(wasm, [3, 4, 7, 8, 6, 8]);
  assert.deepEqual(wasm, cpu);
  await useBackend('wasm');
  const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const dropped = tf.unsortedSegmentSum(x, tf.tensor1d([-1, 1, 2], 'int32'), 2);
  assert.deepEqual(Array.from(await dropped.data()), [0, 0, 3, 4]);
  tf.dispose([x, dropped]);
});
