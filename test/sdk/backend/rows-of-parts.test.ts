import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { ROWS_OF_PARTS_KERNEL, rowsOfParts } from '../../../sdk/src/backend/rows-of-parts';

before(async () => {
  await ready();
});

/** Parts of 5, 3 and 4 rows of width 6 with distinct values, and a permutation of their 12 rows. */
function fixture(dtype: 'float32' | 'int32') {
  const sizes = [5, 3, 4];
  let next = 0;
  const parts = sizes.map((n) => tf.tensor2d(Array.from({ length: n * 6 }, () => (dtype === 'float32' ? 0.5 + next++ : next++)), [n, 6], dtype));
  const positions = Int32Array.from([7, 0, 11, 3, 5, 9, 1, 10, 2, 8, 4, 6]);
  return { parts, positions };
}

for (const backend of ['wasm', 'cpu'] as const) {
  for (const dtype of ['float32', 'int32'] as const) {
    test(`rowsOfParts is gather(concat(parts), positions) on ${backend}, ${dtype}`, async () => {
      await useBackend(backend);
      assert.equal(Boolean(tf.getKernel(ROWS_OF_PARTS_KERNEL, backend)), backend === 'wasm', 'the one-copy kernel is wasm only');
      const { parts, positions } = fixture(dtype);
      const before = tf.memory().numTensors;
      const out = rowsOfParts(parts, positions);
      const expected = tf.tidy(() => tf.gather(tf.concat(parts, 0), tf.tensor1d(positions, 'int32')));
      assert.deepEqual(out.shape, [12, 6]);
      assert.equal(out.dtype, dtype);
      assert.deepEqual(await out.array(), await expected.array());
      // Rows repeat and some are left out, as in a gather.
      const all = tf.concat(parts, 0);
      const rows = (await all.array()) as number[][];
      all.dispose();
      const some = rowsOfParts(parts, Int32Array.from([2, 2, 11]));
      assert.deepEqual(await some.array(), [rows[2], rows[2], rows[11]]);
      assert.equal(tf.memory().numTensors, before + 3);
      tf.dispose([out, expected, some, ...parts]);
    });
  }
}

test('rowsOfParts names a position outside the rows', async () => {
  await useBackend('wasm');
  const { parts } = fixture('float32');
  assert.throws(() => rowsOfParts(parts, Int32Array.from([0, 12])), /rowsOfParts: position 12 \(row 1\) is not in \[0, 11\]/);
  assert.throws(() => rowsOfParts(parts, Int32Array.from([-1])), /position -1 \(row 0\)/);
  tf.dispose(parts);
});
