import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready, useBackend } from '../../../sdk/src/backend';
import { EMBEDDING_BAG_KERNEL, embeddingBagMean } from '../../../sdk/src/backend/embedding-bag';
import { assertClose } from '../../helpers/tf';

before(async () => {
  await ready();
});

const IDS = [[3, 1, 4, 0], [2, 2, 0, 0], [0, 0, 0, 0]];
const MASK = [[1, 1, 1, 0], [1, 1, 0, 0], [0, 0, 0, 0]]; // the last row is an empty bag

/** Value and table gradient of sum(w ⊙ bag(table)) with the kernel, and with the kernel unregistered (tfjs ops). */
async function kernelAndOps(dim: number): Promise<{ kernel: number[][]; ops: number[][] }> {
  const run = async () => {
    const table = tf.tensor2d(Array.from({ length: 5 * dim }, (_, i) => Math.sin(i + 1)), [5, dim]);
    const w = tf.tensor2d(Array.from({ length: 3 * dim }, (_, i) => Math.cos(i)), [3, dim]);
    const ids = tf.tensor2d(IDS, undefined, 'int32');
    const mask = tf.tensor2d(MASK, undefined, 'int32');
    const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => tf.sum(tf.mul(embeddingBagMean(t as tf.Tensor2D, ids, mask), w)))([table]);
    const bag = embeddingBagMean(table, ids, mask);
    const out = [Array.from(await bag.data()), Array.from(await grads[0].data()), [(await value.data())[0]]];
    tf.dispose([table, w, ids, mask, value, bag, ...grads]);
    return out;
  };
  const kernel = await run();
  const config = tf.getKernel(EMBEDDING_BAG_KERNEL, tf.getBackend())!;
  tf.unregisterKernel(EMBEDDING_BAG_KERNEL, tf.getBackend());
  try {
    return { kernel, ops: await run() };
  } finally {
    tf.registerKernel(config);
  }
}

for (const backend of ['wasm', 'cpu'] as const) {
  for (const dim of [8, 3]) {
    test(`bag mean and its gradient equal the tfjs-ops formula on ${backend}, dim ${dim}${dim % 4 ? ' (JavaScript loop)' : ''}`, async () => {
      await useBackend(backend);
      const tensors = tf.memory().numTensors;
      const { kernel, ops } = await kernelAndOps(dim);
      assertClose(kernel[0], ops[0], 1e-6, 'bag mean');
      assertClose(kernel[1], ops[1], 1e-6, 'table gradient');
      assertClose(kernel[2], ops[2], 1e-5, 'value');
      assert.deepEqual(kernel[0].slice(2 * dim), new Array(dim).fill(0), 'an empty bag is a zero vector');
      // Row 2 of the table appears twice in bag 1 (2 tokens): its gradient is w[1] · 2 / 2.
      assertClose(kernel[1].slice(2 * dim, 3 * dim), Array.from({ length: dim }, (_, j) => Math.cos(dim + j)), 1e-6, 'repeated token');
      assert.equal(tf.memory().numTensors, tensors);
      await useBackend('wasm');
    });
  }
}

test('hand-computed bag means', async () => {
  await useBackend('wasm');
  const table = tf.tensor2d([[0, 0, 0, 0], [1, 2, 3, 4], [10, 20, 30, 40]]);
  const bag = embeddingBagMean(table, tf.tensor2d([[1, 2, 2]], undefined, 'int32'), tf.tensor2d([[1, 1, 0]], undefined, 'int32'));
  assert.deepEqual(Array.from(await bag.data()), [5.5, 11, 16.5, 22]);
  tf.dispose([table, bag]);
});

for (const backend of ['wasm', 'cpu'] as const) {
  test(`a token id outside the table is an error naming it, and nothing is left allocated (${backend})`, async () => {
    await useBackend(backend);
    const table = tf.zeros([4, 4]) as tf.Tensor2D;
    const ids = tf.tensor2d([[1, 9]], undefined, 'int32');
    const mask = tf.tensor2d([[1, 1]], undefined, 'int32');
    const buffers = tf.engine().backend.numDataIds();
    assert.throws(() => embeddingBagMean(table, ids, mask), /EmbeddingBag: token id 9 \(row 0, position 1\) is not in \[0, 3\]/);
    assert.equal(tf.engine().backend.numDataIds(), buffers);
    const [negative, ones] = [tf.tensor2d([[2], [-1]], undefined, 'int32'), tf.ones([2, 1], 'int32') as tf.Tensor2D];
    assert.throws(() => embeddingBagMean(table, negative, ones), /token id -1 \(row 1, position 0\) is not in \[0, 3\]/);
    // Under padding too (as a gather of the whole ids tensor would fail), and the first one in row order.
    const [padded, half] = [tf.tensor2d([[1, 2, 7], [4, 1, 1]], undefined, 'int32'), tf.tensor2d([[1, 1, 0], [1, 1, 0]], undefined, 'int32')];
    assert.throws(() => embeddingBagMean(table, padded, half), /token id 7 \(row 0, position 2\) is not in \[0, 3\]/);
    assert.equal(tf.engine().backend.numDataIds(), buffers + 4);
    tf.dispose([negative, ones, padded, half]);
    assert.throws(() => embeddingBagMean(table, ids, tf.ones([2, 2], 'int32') as tf.Tensor2D), /inputIds and attentionMask must both be \[batch, tokens\]; got \[1,2\] and \[2,2\]/);
    tf.dispose([table, ids, mask]);
  });
}

/** out[b] = Σ_t table[ids[b,t]] (mask ≠ 0) in float32, in token order from +0, ÷ max(count, 1): the JavaScript loop. */
function bagMeanReference(table: Float32Array, dim: number, ids: number[][], mask: number[][]): Float32Array {
  const out = new Float32Array(ids.length * dim);
  ids.forEach((row, b) => {
    const acc = new Float32Array(dim);
    let count = 0;
    row.forEach((id, t) => {
      if (mask[b][t] === 0) return;
      count++;
      for (let j = 0; j < dim; j++) acc[j] += table[id * dim + j];
    });
    for (let j = 0; j < dim; j++) out[b * dim + j] = acc[j] / Math.max(count, 1);
  });
  return out;
}

// 36 and 100 floats: 1 and 3 register-blocked chunks of 128 bytes + 16 bytes; 60: 128 + 112 bytes; 256: 8 chunks.
for (const dim of [36, 60, 100, 256]) {
  test(`bag mean of ${dim}-float rows is bit-identical to the float32 JavaScript loop on wasm and cpu`, async () => {
    const vocab = 11;
    const values = new Float32Array(Array.from({ length: vocab * dim }, (_, i) => Math.sin(i * 0.37 + 1) * 10 ** ((i % 7) - 3)));
    // Padding at the end, a masked token in the middle, repeated ids, an empty bag.
    const ids = [[3, 1, 4, 1, 5, 9, 2, 6], [10, 0, 10, 7, 0, 0, 0, 0], [8, 8, 8, 8, 8, 8, 8, 8], [0, 0, 0, 0, 0, 0, 0, 0]];
    const mask = [[1, 1, 1, 1, 1, 1, 1, 1], [1, 0, 1, 1, 0, 0, 0, 0], [1, 1, 1, 1, 1, 1, 1, 0], [0, 0, 0, 0, 0, 0, 0, 0]];
    const expected = Array.from(bagMeanReference(values, dim, ids, mask));
    for (const backend of ['wasm', 'cpu'] as const) {
      await useBackend(backend);
      const tensors = tf.memory().numTensors;
      const inputs = [tf.tensor2d(values, [vocab, dim]), tf.tensor2d(ids, undefined, 'int32'), tf.tensor2d(mask, undefined, 'int32')] as const;
      const bag = embeddingBagMean(...inputs);
      const got = Array.from(await bag.data());
      tf.dispose([...inputs, bag]);
      assert.deepEqual(got, expected, `${backend}, dim ${dim}`);
      assert.equal(got.slice(3 * dim).every((x) => Object.is(x, 0)), true, 'an empty bag is +0');
      assert.equal(tf.memory().numTensors, tensors);
    }
    await useBackend('wasm');
  });
}
