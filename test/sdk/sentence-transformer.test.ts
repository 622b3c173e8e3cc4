import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync, readdirSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../sdk/src/backend';
import { SentenceTransformer } from '../../sdk/src/sentence-transformer';
import { StaticEmbedding, Transformer, Pooling, Dense, Normalize, type EmbeddingModule } from '../../sdk/src/modules';
import { defaultTokenizer } from '../../sdk/src/tokenizers';
import { assertClose } from '../helpers/tf';

before(async () => {
  await ready();
});

const tok = () => defaultTokenizer();
const texts = ['hello world', 'A man is playing a flute.', 'unaffable'];

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'st-model-'));
}

const builds: Record<string, () => SentenceTransformer> = {
  'StaticEmbedding': () => new SentenceTransformer([StaticEmbedding.random(tok(), { dim: 16, seed: 1 })]),
  'StaticEmbedding + Dense + Normalize': () =>
    new SentenceTransformer([StaticEmbedding.random(tok(), { dim: 16, seed: 1 }), new Dense({ inFeatures: 16, outFeatures: 8, activation: 'identity', seed: 2 }), new Normalize()]),
  'Transformer + Pooling(cls+max) + Dense + Normalize': () =>
    new SentenceTransformer(
      [
        Transformer.random(tok(), { hiddenSize: 16, numLayers: 1, numHeads: 2, intermediateSize: 32, maxSeqLength: 24, seed: 3 }),
        new Pooling(16, { mode: ['cls', 'max'] }),
        new Dense({ inFeatures: 32, outFeatures: 8, seed: 4 }),
        new Normalize(),
      ],
      { similarityFnName: 'dot', prompts: { query: 'query: ' } },
    ),
};

for (const [name, build] of Object.entries(builds)) {
  test(`save → load gives identical embeddings: ${name}`, async () => {
    const model = build();
    const dir = tmp();
    try {
      await model.save(dir);
      const loaded = await SentenceTransformer.load(dir);
      assert.deepEqual(await loaded.encode(texts), await model.encode(texts));
      assert.equal(loaded.similarityFnName, model.similarityFnName);
      assert.deepEqual(loaded.prompts, model.prompts);
      assert.equal(loaded.toString(), model.toString());
      loaded.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
      model.dispose();
    }
  });
}

test('the folder is in the sentence-transformers format', async () => {
  const model = builds['Transformer + Pooling(cls+max) + Dense + Normalize']();
  const dir = tmp();
  try {
    await model.save(dir);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'modules.json'), 'utf8')), [
      { idx: 0, name: '0', path: '', type: 'sentence_transformers.models.Transformer' },
      { idx: 1, name: '1', path: '1_Pooling', type: 'sentence_transformers.models.Pooling' },
      { idx: 2, name: '2', path: '2_Dense', type: 'sentence_transformers.models.Dense' },
      { idx: 3, name: '3', path: '3_Normalize', type: 'sentence_transformers.models.Normalize' },
    ]);
    assert.deepEqual(JSON.parse(readFileSync(join(dir, '1_Pooling', 'config.json'), 'utf8')), {
      word_embedding_dimension: 16,
      pooling_mode_cls_token: true,
      pooling_mode_max_tokens: true,
      pooling_mode_mean_tokens: false,
      pooling_mode_mean_sqrt_len_tokens: false,
      pooling_mode_weightedmean_tokens: false,
      pooling_mode_lasttoken: false,
      include_prompt: true,
    });
    const st = JSON.parse(readFileSync(join(dir, 'config_sentence_transformers.json'), 'utf8'));
    assert.equal(st.similarity_fn_name, 'dot');
    assert.equal(st.model_type, 'SentenceTransformer');
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'sentence_bert_config.json'), 'utf8')), { max_seq_length: 24, do_lower_case: false });
    const hf = JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8'));
    assert.equal(hf.model_type, 'bert');
    assert.equal(hf.hidden_size, 16);
    for (const f of ['model.safetensors', 'tokenizer.json', '2_Dense/model.safetensors', '2_Dense/config.json']) assert.ok(existsSync(join(dir, f)), f);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
});

test('a v5.4+ Pooling config (pooling_mode key) loads too', async () => {
  const model = builds['Transformer + Pooling(cls+max) + Dense + Normalize']();
  const dir = tmp();
  try {
    await model.save(dir);
    writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify({ embedding_dimension: 16, pooling_mode: ['cls', 'max'], include_prompt: true }));
    const loaded = await SentenceTransformer.load(dir);
    assert.deepEqual(await loaded.encode(texts), await model.encode(texts));
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
});

test('malformed folders are rejected with the file named', async () => {
  const model = builds['StaticEmbedding + Dense + Normalize']();
  const dir = tmp();
  try {
    await assert.rejects(SentenceTransformer.load(join(dir, 'nothing-here')), /missing modules.json: .*nothing-here\/modules.json/);
    await model.save(dir);
    writeFileSync(join(dir, 'modules.json'), '[{"idx": 0, "path": "0_X", "type": "sentence_transformers.models.CNN"}]');
    await assert.rejects(SentenceTransformer.load(dir), /modules.json: module 0 has type 'sentence_transformers.models.CNN', which sentence-tfjs cannot load/);
    writeFileSync(join(dir, 'modules.json'), '{not json');
    await assert.rejects(SentenceTransformer.load(dir), /modules.json is not valid JSON/);
    await model.save(dir);
    unlinkSync(join(dir, '1_Dense', 'model.safetensors'));
    await assert.rejects(SentenceTransformer.load(dir), /cannot read .*1_Dense\/model.safetensors/);
    await model.save(dir);
    writeFileSync(join(dir, '1_Dense', 'config.json'), JSON.stringify({ in_features: 16, out_features: 9, bias: true }));
    await assert.rejects(SentenceTransformer.load(dir), /1_Dense\/model.safetensors: tensor 'linear.weight' has shape \[8,16\], expected \[9,16\]/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
});

test('a save that fails midway leaves the previous model intact and no temp folder', async () => {
  const model = builds['StaticEmbedding']();
  const parent = tmp();
  const dir = join(parent, 'model');
  try {
    await model.save(dir);
    const before = readFileSync(join(dir, '0_StaticEmbedding', 'model.safetensors'));
    const failing: EmbeddingModule = Object.assign(Object.create(Normalize.prototype), {
      type: 'sentence_transformers.models.Normalize',
      save: async () => {
        throw new Error('disk full');
      },
    });
    const broken = new SentenceTransformer([model.modules[0], failing]);
    await assert.rejects(broken.save(dir), /disk full/);
    assert.deepEqual(readFileSync(join(dir, '0_StaticEmbedding', 'model.safetensors')), before);
    assert.deepEqual(readdirSync(parent), ['model']);
  } finally {
    rmSync(parent, { recursive: true, force: true });
    model.dispose();
  }
});

test('encode: batches keep input order, options apply, and no tensor leaks across calls', async () => {
  const model = builds['Transformer + Pooling(cls+max) + Dense + Normalize']();
  const many = Array.from({ length: 23 }, (_, i) => `sentence number ${i} ${'x '.repeat(i % 7)}`);
  const one = await model.encode(many, { batchSize: 64 });
  const batched = await model.encode(many, { batchSize: 5 });
  one.forEach((row, i) => assertClose(batched[i], row, 1e-5, `row ${i}`));
  // Each row is its own text's embedding (encode sorts by length inside and must put rows back).
  for (const i of [0, 6, 13, 22]) assertClose((await model.encode([many[i]]))[0], one[i], 1e-5, `text ${i} alone`);
  const truncated = await model.encode(many.slice(0, 2), { truncateDim: 4, normalizeEmbeddings: true });
  assert.equal(truncated[0].length, 4);
  assertClose([Math.hypot(...truncated[0])], [1], 1e-5, 'norm');
  const f32 = await model.encode('hello', { convertTo: 'float32' });
  assert.ok(f32[0] instanceof Float32Array);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 3; i++) await model.encode(many, { batchSize: 8 });
  const t = await model.encode(many, { convertTo: 'tensor' });
  assert.deepEqual(t.shape, [23, 8]);
  t.dispose();
  assert.equal(tf.memory().numTensors, before, 'encode leaked tensors');
  await assert.rejects(model.encode(['ok', 3 as unknown as string]), /encode: text 1 is number, not a string/);
  await assert.rejects(model.encode(['ok'], { truncateDim: 99 }), /truncateDim must be an integer in 1..8/);
  model.dispose();
});

test('similarity uses the model function: cosine, dot, euclidean, manhattan', async () => {
  const model = builds['StaticEmbedding']();
  const a = [[3, 4]];
  const b = [[3, 4], [0, 1]];
  const expect: Record<string, number[]> = { cosine: [1, 0.8], dot: [25, 4], euclidean: [0, -Math.hypot(3, 3)], manhattan: [0, -6] };
  for (const [fn, values] of Object.entries(expect)) {
    model.similarityFnName = fn as 'cosine';
    const s = model.similarity(a, b);
    assertClose(await s.data(), values, 1e-5, fn);
    s.dispose();
  }
  model.dispose();
});

test('clone has its own variables', async () => {
  const model = builds['StaticEmbedding']();
  const copy = model.clone();
  const v = copy.trainableWeights()[0];
  v.assign(tf.zerosLike(v));
  assert.notDeepEqual(await model.encode(['hello']), await copy.encode(['hello']));
  copy.dispose();
  assert.equal((await model.encode(['hello']))[0].length, 16, 'the original survives the clone being disposed');
  model.dispose();
});
