import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { quantizeEmbeddings } from '../../../sdk/src/util/quantize-embeddings';
import { utilFixture } from './fixture';

const q = utilFixture.quantization;
const rows = (xs: ArrayLike<number>[]) => xs.map((r) => Array.from(r));

describe('quantizeEmbeddings matches sentence-transformers quantize_embeddings', () => {
  before(async () => {
    await ready();
  });

  it('int8 and uint8 from the embeddings own ranges', async () => {
    assert.deepEqual(rows(await quantizeEmbeddings(q.embeddings, 'int8')), q.int8);
    assert.deepEqual(rows(await quantizeEmbeddings(q.embeddings, 'uint8')), q.uint8);
  });

  it('int8 from calibration embeddings, uint8 from given ranges', async () => {
    assert.deepEqual(rows(await quantizeEmbeddings(q.embeddings, 'int8', { calibrationEmbeddings: q.calibration })), q.int8_calibrated);
    const ranges: [number[], number[]] = [new Array(16).fill(-3), new Array(16).fill(3)];
    assert.deepEqual(rows(await quantizeEmbeddings(q.embeddings, 'uint8', { ranges })), q.uint8_ranges);
  });

  it('binary and ubinary pack signs 8 per byte, first dimension in the high bit', async () => {
    assert.deepEqual(rows(await quantizeEmbeddings(q.embeddings, 'binary')), q.binary);
    assert.deepEqual(rows(await quantizeEmbeddings(q.embeddings, 'ubinary')), q.ubinary);
    const [packed] = await quantizeEmbeddings([[1, -1, 0, 2, 0.5, -3, 0, 0, 7]], 'ubinary');
    assert.deepEqual(Array.from(packed), [0b10011000, 0b10000000]);
  });

  it('accepts a tensor and returns typed rows', async () => {
    const t = tf.tensor2d([[0.5, -0.5], [1, -1]]);
    const out = await quantizeEmbeddings(t, 'int8', { ranges: [[-1, -1], [1, 1]] });
    t.dispose();
    assert.ok(out[0] instanceof Int8Array);
    // (0.5 + 1) / (2 / 255) - 128 = 63.25 → 63; (-0.5 + 1) / (2/255) - 128 = -64.25 → -64 (truncation toward 0);
    // the top of the range is 126.999985 in float32, hence 126 (numpy gives the same).
    assert.deepEqual(rows(out), [[63, -64], [126, -128]]);
  });

  it('clamps values outside the calibration range, names bad arguments', async () => {
    assert.deepEqual(rows(await quantizeEmbeddings([[5, -5]], 'uint8', { ranges: [[-1, -1], [1, 1]] })), [[255, 0]]);
    await assert.rejects(quantizeEmbeddings([[1, 2]], 'int4' as 'int8'), /precision must be one of float32, int8, uint8, binary, ubinary; got 'int4'/);
    await assert.rejects(quantizeEmbeddings([[1, 2]], 'int8', { ranges: [[0], [1]] }), /ranges must hold 2 mins and 2 maxs; got 1 and 1/);
    await assert.rejects(quantizeEmbeddings([[1, 2]], 'int8', { calibrationEmbeddings: [[1, 2, 3]] }), /calibrationEmbeddings has dimension 3; the embeddings have 2/);
  });
});
