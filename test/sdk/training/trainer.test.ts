import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, readdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { StaticEmbedding } from '../../../sdk/src/modules';
import { defaultTokenizer } from '../../../sdk/src/tokenizers';
import { Dataset } from '../../../sdk/src/data/dataset';
import { MultipleNegativesRankingLoss } from '../../../sdk/src/losses/multiple-negatives-ranking-loss';
import { Trainer } from '../../../sdk/src/training/trainer';

before(async () => {
  await ready();
});

const pairs = Dataset.fromRecords(
  Array.from({ length: 40 }, (_, i) => ({
    anchor: `question number ${i} about topic ${['cats', 'dogs', 'stocks', 'music', 'rain'][i % 5]}`,
    positive: `answer ${i} on ${['cats', 'dogs', 'stocks', 'music', 'rain'][i % 5]} number ${i}`,
  })),
);

function model(): SentenceTransformer {
  return new SentenceTransformer([StaticEmbedding.random(defaultTokenizer(), { dim: 16, seed: 5 })]);
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'st-trainer-'));
}

test('training lowers the loss and keeps the tensor count flat over 50 steps', async () => {
  const m = model();
  let count = -1;
  const trainer = new Trainer({
    model: m,
    trainDataset: pairs,
    loss: new MultipleNegativesRankingLoss(m),
    args: { maxSteps: 50, perDeviceTrainBatchSize: 8, learningRate: 0.05, loggingSteps: 5, showProgressBar: false },
    callbacks: {
      onStep: ({ step }) => {
        if (step === 2) count = tf.memory().numTensors;
        if (step > 2) assert.equal(tf.memory().numTensors, count, `tensor count changed at step ${step}`);
      },
    },
  });
  const out = await trainer.train();
  assert.equal(out.globalStep, 50);
  const losses = trainer.logs.map((r) => r.loss);
  assert.equal(losses.length, 10);
  assert.ok(losses[9] < losses[0] * 0.8, `loss ${losses[0]} → ${losses[9]}`);
  const h = trainer.history;
  assert.deepEqual(h.columns, ['step', 'epoch', 'loss', 'learning_rate']);
  assert.deepEqual(h.shape, [10, 4]);
  m.dispose();
});

test('resuming from a checkpoint gives the same losses as an uninterrupted run', async () => {
  const dir = tmp();
  try {
    const args = { maxSteps: 12, perDeviceTrainBatchSize: 8, learningRate: 0.05, loggingSteps: 1, seed: 3, showProgressBar: false, warmupSteps: 2 };
    const full = model();
    const t1 = new Trainer({ model: full, trainDataset: pairs, loss: new MultipleNegativesRankingLoss(full), args: { ...args, outputDir: join(dir, 'a'), saveSteps: 7 } });
    await t1.train();
    assert.ok(existsSync(join(dir, 'a', 'checkpoint-7', 'optimizer.safetensors')));
    assert.ok(existsSync(join(dir, 'a', 'checkpoint-7', 'modules.json')));
    const resumed = model();
    const t2 = new Trainer({ model: resumed, trainDataset: pairs, loss: new MultipleNegativesRankingLoss(resumed), args: { ...args, outputDir: join(dir, 'a'), resumeFromCheckpoint: join(dir, 'a', 'checkpoint-7') } });
    await t2.train();
    const tail = (t: Trainer) => t.logs.filter((r) => r.step > 7).map((r) => r.loss);
    assert.equal(tail(t2).length, 5);
    tail(t2).forEach((l, i) => assert.ok(Math.abs(l - tail(t1)[i]) < 1e-5, `step ${8 + i}: ${l} vs ${tail(t1)[i]}`));
    assert.deepEqual(await resumed.encode(['question number 3']), await full.encode(['question number 3']));
    full.dispose();
    resumed.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('stop() ends at the next step; saveTotalLimit prunes old checkpoints', async () => {
  const dir = tmp();
  try {
    const m = model();
    const trainer: Trainer = new Trainer({
      model: m,
      trainDataset: pairs,
      loss: new MultipleNegativesRankingLoss(m),
      args: { maxSteps: 100, perDeviceTrainBatchSize: 8, outputDir: dir, saveSteps: 2, saveTotalLimit: 2, showProgressBar: false },
      callbacks: { onStep: ({ step }) => (step === 6 ? trainer.stop() : undefined) },
    });
    const out = await trainer.train();
    assert.equal(out.stopped, true);
    assert.equal(out.globalStep, 6);
    assert.deepEqual(readdirSync(dir).sort(), ['checkpoint-4', 'checkpoint-6']);
    assert.equal((await m.encode(['still usable']))[0].length, 16);
    m.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad arguments and mismatched losses are clear errors', () => {
  const m = model();
  const other = model();
  assert.throws(() => new Trainer({ model: m, trainDataset: pairs, loss: new MultipleNegativesRankingLoss(m), args: { saveSteps: 5 } }), /saving checkpoints needs outputDir/);
  assert.throws(() => new Trainer({ model: m, trainDataset: pairs, loss: new MultipleNegativesRankingLoss(other) }), /was built for another model/);
  assert.throws(() => new Trainer({ model: m, trainDataset: { a: pairs, b: pairs }, loss: { a: new MultipleNegativesRankingLoss(m) } }), /no loss for dataset 'b'/);
  m.dispose();
  other.dispose();
});
