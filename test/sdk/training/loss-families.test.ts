// A short training run per loss family, on the real data in notebooks/data, must beat the untrained
// model on held-out data (same seed, fixed steps). StaticEmbedding models keep each run to seconds.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import {
  ready, SentenceTransformer, StaticEmbedding, defaultTokenizer, loadDataset, losses, Trainer, Dataset,
  EmbeddingSimilarityEvaluator, BinaryClassificationEvaluator, TripletEvaluator, LabelAccuracyEvaluator, MSEEvaluator,
  classToTriplets, addTeacherEmbeddings, type SentenceEvaluator, type TrainingArguments, type SentenceLoss, type Row,
} from '../../../sdk/src';

const DATA = join(__dirname, '..', '..', '..', 'notebooks', 'data');
let stsDev: EmbeddingSimilarityEvaluator;

before(async () => {
  await ready();
  const sts = await loadDataset(join(DATA, 'stsb'), { split: 'validation' });
  stsDev = EmbeddingSimilarityEvaluator.fromDataset(sts.head(300), { name: 'sts-dev', showProgressBar: false });
});

function staticModel(dim = 32, seed = 1): SentenceTransformer {
  return new SentenceTransformer([StaticEmbedding.random(defaultTokenizer(), { dim, seed })]);
}

async function beforeAfter(
  model: SentenceTransformer,
  data: Dataset<Row>,
  loss: SentenceLoss,
  evaluator: SentenceEvaluator,
  args: TrainingArguments,
): Promise<{ before: number; after: number; key: string }> {
  const first = await evaluator.evaluate(model);
  const key = first.primaryMetric;
  const count = tf.memory().numTensors;
  await new Trainer({ model, trainDataset: data, loss, args: { seed: 7, showProgressBar: false, learningRate: 0.05, ...args } }).train();
  assert.equal(tf.memory().numTensors, count, `training left ${tf.memory().numTensors - count} tensors behind`);
  const after = (await evaluator.evaluate(model)).metrics[key];
  return { before: first.metrics[key], after, key };
}

function assertBetter(name: string, r: { before: number; after: number; key: string }): void {
  assert.ok(r.after > r.before, `${name}: ${r.key} ${r.before.toFixed(4)} → ${r.after.toFixed(4)} did not improve`);
}

test('(anchor, positive) pairs: MultipleNegativesRankingLoss on SNLI pairs improves STSb', async () => {
  const pairs = (await loadDataset(join(DATA, 'snli-pairs-triplets'), { subset: 'pairs', split: 'train' })).head(1024);
  const m = staticModel();
  assertBetter('MNRL', await beforeAfter(m, pairs, new losses.MultipleNegativesRankingLoss(m), stsDev, { numTrainEpochs: 1, perDeviceTrainBatchSize: 64, batchSampler: 'no_duplicates' }));
  m.dispose();
});

test('pairs + float score: CoSENTLoss on STSb train improves STSb dev', async () => {
  const train = (await loadDataset(join(DATA, 'stsb'), { split: 'train', columns: ['sentence1', 'sentence2', 'score'] })).head(1024);
  const m = staticModel();
  assertBetter('CoSENT', await beforeAfter(m, train, new losses.CoSENTLoss(m), stsDev, { numTrainEpochs: 1, perDeviceTrainBatchSize: 32 }));
  m.dispose();
});

test('pairs + 0/1: OnlineContrastiveLoss on banking77-pairs improves held-out average precision', async () => {
  const train = (await loadDataset(join(DATA, 'banking77-pairs'), { split: 'train' })).head(1500);
  const testSet = (await loadDataset(join(DATA, 'banking77-pairs'), { split: 'test' })).head(400);
  const evaluator = BinaryClassificationEvaluator.fromDataset(testSet, { name: 'b77', showProgressBar: false });
  const m = staticModel();
  assertBetter('OnlineContrastive', await beforeAfter(m, train, new losses.OnlineContrastiveLoss(m), evaluator, { numTrainEpochs: 1, perDeviceTrainBatchSize: 32 }));
  m.dispose();
});

test('single sentences + class: BatchHardTripletLoss on banking77 improves held-out triplet accuracy', async () => {
  const train = (await loadDataset(join(DATA, 'banking77'), { split: 'train', columns: ['text', 'label'] })).filter((r) => Number(r.label) < 20);
  const held = (await loadDataset(join(DATA, 'banking77'), { split: 'test', columns: ['text', 'label'] })).filter((r) => Number(r.label) < 20);
  const evaluator = TripletEvaluator.fromDataset(classToTriplets(held, { seed: 1 }).head(400), { name: 'b77-triplets', showProgressBar: false });
  const m = staticModel();
  assertBetter('BatchHardTriplet', await beforeAfter(m, train.head(1500), new losses.BatchHardTripletLoss(m), evaluator, { numTrainEpochs: 1, perDeviceTrainBatchSize: 32, batchSampler: 'group_by_label' }));
  m.dispose();
});

test('pairs + class: SoftmaxLoss on SNLI improves held-out label accuracy', async () => {
  const cols = { columns: ['premise', 'hypothesis', 'label'] };
  const train = (await loadDataset(join(DATA, 'snli'), { split: 'train', ...cols })).head(2000);
  const val = (await loadDataset(join(DATA, 'snli'), { split: 'validation', ...cols })).head(400);
  const m = staticModel();
  const loss = new losses.SoftmaxLoss(m, { embeddingDimension: 32, numLabels: 3 });
  const evaluator = LabelAccuracyEvaluator.fromDataset(val, { predict: loss.predict, name: 'snli-dev', columns: ['premise', 'hypothesis', 'label'] });
  assertBetter('SoftmaxLoss', await beforeAfter(m, train, loss, evaluator, { numTrainEpochs: 1, perDeviceTrainBatchSize: 32, learningRate: 0.01 }));
  loss.dispose();
  m.dispose();
});

test('triplets: TripletLoss on SNLI triplets improves held-out triplet accuracy', async () => {
  const train = (await loadDataset(join(DATA, 'snli-pairs-triplets'), { subset: 'triplets', split: 'train' })).head(1024);
  const val = (await loadDataset(join(DATA, 'snli-pairs-triplets'), { subset: 'triplets', split: 'validation' })).head(400);
  const evaluator = TripletEvaluator.fromDataset(val, { name: 'snli-triplets', showProgressBar: false });
  const m = staticModel();
  assertBetter('TripletLoss', await beforeAfter(m, train, new losses.TripletLoss(m), evaluator, { numTrainEpochs: 1, perDeviceTrainBatchSize: 32 }));
  m.dispose();
});

test('distillation: MSELoss pulls a student towards a teacher (held-out MSE improves)', async () => {
  const sentences = (await loadDataset(join(DATA, 'wiki-sentences'), { split: 'train' })).select(['text']);
  const teacher = staticModel(32, 99);
  const train = await addTeacherEmbeddings(sentences.head(1024), teacher, 'text');
  const held = sentences.column('text').slice(5000, 5300) as string[];
  const evaluator = new MSEEvaluator({ sourceSentences: held, targetSentences: held, teacherModel: teacher, name: 'distill', showProgressBar: false });
  const m = staticModel(32, 1);
  assertBetter('MSELoss', await beforeAfter(m, train, new losses.MSELoss(m), evaluator, { numTrainEpochs: 1, perDeviceTrainBatchSize: 32 }));
  m.dispose();
  teacher.dispose();
});

test('modifier: MatryoshkaLoss(MNRL) improves STSb at a truncated dimension', async () => {
  const pairs = await loadDataset(join(DATA, 'snli-pairs-triplets'), { subset: 'pairs', split: 'train' });
  const sts = await loadDataset(join(DATA, 'stsb'), { split: 'validation' });
  const evaluator = EmbeddingSimilarityEvaluator.fromDataset(sts.head(300), { name: 'sts-dev-8d', truncateDim: 8, showProgressBar: false });
  const m = staticModel();
  const loss = new losses.MatryoshkaLoss(m, new losses.MultipleNegativesRankingLoss(m), { matryoshkaDims: [32, 16, 8] });
  assertBetter('Matryoshka', await beforeAfter(m, pairs, loss, evaluator, { numTrainEpochs: 2, perDeviceTrainBatchSize: 64 }));
  m.dispose();
});
