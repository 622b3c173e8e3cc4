import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../../sdk/src/backend';
import { topKSearch } from '../../../../sdk/src/data/converters/top-k-search';
import { Rng } from '../../../../sdk/src/util/random';

test('tiled top-k over queries and corpus equals a brute-force search; no tensors leak', async () => {
  await ready();
  const rng = new Rng(11);
  const q = Array.from({ length: 7 }, () => Array.from({ length: 5 }, () => rng.normal()));
  const c = Array.from({ length: 13 }, () => Array.from({ length: 5 }, () => rng.normal()));
  const qt = tf.tensor2d(q);
  const ct = tf.tensor2d(c);
  const before = tf.memory().numTensors;
  const dot = (a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D => tf.matMul(a, b, false, true);
  const tiled = await topKSearch(qt, ct, { k: 4, similarity: dot, queryTile: 3, corpusTile: 5 });
  const whole = await topKSearch(qt, ct, { k: 4, similarity: dot });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(Array.from(tiled.indices), Array.from(whole.indices));
  q.forEach((row, i) => {
    const scores = c.map((col, j) => [row.reduce((s, v, d) => s + v * col[d], 0), j]).sort((a, b) => b[0] - a[0]);
    assert.deepEqual(Array.from(tiled.indices.subarray(i * 4, i * 4 + 4)), scores.slice(0, 4).map((s) => s[1]));
    scores.slice(0, 4).forEach(([s], k) => assert.ok(Math.abs(tiled.scores[i * 4 + k] - s) < 1e-4));
  });
  const capped = await topKSearch(qt, ct, { k: 50, similarity: dot, corpusTile: 4 });
  assert.equal(capped.k, 13);
  qt.dispose();
  ct.dispose();
});
