import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { Transformer, Pooling } from '../../../sdk/src/modules';
import { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { defaultTokenizer } from '../../../sdk/src/tokenizers';
import { assertClose } from '../../helpers/tf';
import { AdamW } from '../../../sdk/src/training/adamw';

before(async () => {
  await ready();
});

const tiny = () => Transformer.random(defaultTokenizer(), { hiddenSize: 32, numLayers: 2, numHeads: 4, intermediateSize: 64, maxSeqLength: 16, seed: 7 });

test('shapes: token embeddings [B, T, H], every hidden state on request', () => {
  const t = tiny();
  const f = t.tokenize(['hello world', 'a much longer sentence than the first one']);
  const out = t.forward(f, { training: false, outputHiddenStates: true });
  assert.deepEqual(out.tokenEmbeddings!.shape, [2, f.inputIds.shape[1], 32]);
  assert.equal(out.allLayerEmbeddings!.length, 3, 'embedding output + 2 layers');
  tf.dispose([f.inputIds, f.attentionMask, out.tokenEmbeddings!, ...out.allLayerEmbeddings!]);
  t.dispose();
});

test('truncates to maxSeqLength with [CLS] ... [SEP]', () => {
  const t = tiny();
  const f = t.tokenize(['word '.repeat(40)]);
  assert.deepEqual(f.inputIds.shape, [1, 16]);
  const ids = f.inputIds.arraySync()[0];
  assert.equal(ids[0], 101);
  assert.equal(ids[15], 102);
  tf.dispose([f.inputIds, f.attentionMask]);
  t.dispose();
});

test('padding does not change a mean-pooled embedding', async () => {
  const model = new SentenceTransformer([tiny(), new Pooling(32)]);
  const alone = await model.encode(['hello world']);
  const padded = await model.encode(['hello world', 'this sentence is much longer and forces padding of the first'], { batchSize: 2 });
  assertClose(padded[0], alone[0], 1e-5, 'embedding');
  model.dispose();
});

test('the same numbers as a PyTorch BERT on the saved weights (HF names and layouts)', async () => {
  const model = new SentenceTransformer([tiny(), new Pooling(32)]);
  const dir = mkdtempSync(join(tmpdir(), 'st-bert-'));
  try {
    await model.save(dir);
    const texts = ['hello world', 'the quick brown fox jumps over the lazy dog'];
    const enc = model.tokenizer.encodeBatch(texts, { maxLength: 16 });
    const ours = await model.encode(texts, { batchSize: 2 });
    const r = spawnSync('/usr/bin/python3', [join(__dirname, '..', '..', 'reference', 'bert_forward.py')], {
      input: JSON.stringify({ dir: join(dir), input_ids: enc.inputIds, attention_mask: enc.attentionMask }),
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const ref = JSON.parse(r.stdout) as number[][];
    ref.forEach((row, i) => assertClose(ours[i], row, 1e-4, `sentence ${i}`));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
});

test('loads a checkpoint whose names carry the "bert." prefix and rejects a wrong shape', async () => {
  const t = tiny();
  const dir = mkdtempSync(join(tmpdir(), 'st-bert-'));
  try {
    await t.save(dir);
    const { readSafetensorsFile, encodeSafetensors } = await import('../../../sdk/src/io/safetensors');
    const { writeFileSync } = await import('node:fs');
    const { tensors } = await readSafetensorsFile(join(dir, 'model.safetensors'));
    const prefixed = new Map([...tensors].map(([k, v]) => [`bert.${k}`, { shape: v.shape, data: v.data as Float32Array }]));
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(prefixed));
    const loaded = await Transformer.load(dir);
    const a = t.wordEmbeddings.dataSync();
    const b = loaded.wordEmbeddings.dataSync();
    assert.equal(a.length, b.length);
    assert.equal(a[12345], b[12345]);
    loaded.dispose();
    const bad = new Map(prefixed);
    bad.set('bert.encoder.layer.1.output.dense.weight', { shape: [4, 4], data: new Float32Array(16) });
    writeFileSync(join(dir, 'model.safetensors'), encodeSafetensors(bad));
    await assert.rejects(Transformer.load(dir), /model.safetensors: tensor 'encoder.layer.1.output.dense.weight' has shape \[4,4\], expected \[32,64\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    t.dispose();
  }
});

test('trains on wasm: loss decreases and the tensor count stays flat', async () => {
  const model = new SentenceTransformer([tiny(), new Pooling(32)]);
  const opt = new AdamW(model.trainableWeights());
  const target = tf.ones([2, 32]);
  const losses: number[] = [];
  let count = -1;
  for (let step = 0; step < 6; step++) {
    const { value, grads } = tf.variableGrads(() => tf.losses.meanSquaredError(target, model.embed(['hello world', 'good morning'], { training: true })) as tf.Scalar, model.trainableWeights());
    opt.apply(grads, 1e-2);
    losses.push((await value.data())[0]);
    tf.dispose([value, grads]);
    if (step === 1) count = tf.memory().numTensors;
    if (step > 1) assert.equal(tf.memory().numTensors, count, `tensor count grew at step ${step}`);
  }
  assert.ok(losses[5] < losses[0], `loss went ${losses[0]} → ${losses[5]}`);
  opt.dispose();
  target.dispose();
  model.dispose();
});
