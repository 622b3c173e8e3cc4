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

test('several datasets, each with its own loss, take turns (round_robin) and all train', async () => {
  const m = model();
  const scored = Dataset.fromRecords(Array.from({ length: 24 }, (_, i) => ({ sentence1: `topic ${i % 4} text ${i}`, sentence2: `topic ${i % 4} other ${i}`, score: (i % 4) / 3 })));
  const seen: string[] = [];
  const mnrl = new MultipleNegativesRankingLoss(m);
  const { CoSENTLoss } = await import('../../../sdk/src/losses/cosent-loss');
  const cosent = new CoSENTLoss(m);
  const forward = (loss: MultipleNegativesRankingLoss | InstanceType<typeof CoSENTLoss>, name: string) => {
    const original = loss.lossAndGradients.bind(loss);
    loss.lossAndGradients = (batch, vars) => {
      seen.push(name);
      return original(batch, vars);
    };
  };
  forward(mnrl, 'pairs');
  forward(cosent, 'scored');
  const trainer = new Trainer({
    model: m,
    trainDataset: { pairs, scored },
    loss: { pairs: mnrl, scored: cosent },
    args: { maxSteps: 6, perDeviceTrainBatchSize: 8, multiDatasetBatchSampler: 'round_robin', showProgressBar: false },
  });
  await trainer.train();
  assert.deepEqual(seen, ['pairs', 'scored', 'pairs', 'scored', 'pairs', 'scored']);
  m.dispose();
});

test('evaluation during training is logged; loadBestModelAtEnd restores the best checkpoint', async () => {
  const dir = tmp();
  try {
    const m = model();
    // An evaluator whose score peaks at step 4, so the best checkpoint is known in advance.
    const scores: Record<number, number> = { 2: 0.1, 4: 0.9, 6: 0.5 };
    let step = 0;
    const { SentenceEvaluator } = await import('../../../sdk/src/evaluation/evaluator');
    class PeakEvaluator extends SentenceEvaluator {
      readonly name = 'peak';
      async evaluate() {
        return this.result({ score: scores[step] }, 'score');
      }
    }
    let snapshotAt4: number[][] = [];
    const trainer = new Trainer({
      model: m,
      trainDataset: pairs,
      loss: new MultipleNegativesRankingLoss(m),
      evaluator: new PeakEvaluator(),
      args: { maxSteps: 6, perDeviceTrainBatchSize: 8, learningRate: 0.1, evalSteps: 2, saveSteps: 2, outputDir: dir, loadBestModelAtEnd: true, showProgressBar: false },
      callbacks: {
        onStep: async (info) => {
          step = info.step;
          if (info.step === 4) snapshotAt4 = await m.encode(['question number 1']);
        },
      },
    });
    await trainer.train();
    assert.deepEqual(trainer.logs.filter((r) => 'peak_score' in r).map((r) => [r.step, r.peak_score]), [[2, 0.1], [4, 0.9], [6, 0.5]]);
    assert.deepEqual(await m.encode(['question number 1']), snapshotAt4, 'weights of the step-4 checkpoint');
    m.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
