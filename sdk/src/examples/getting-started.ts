// The getting-started example `npm start` runs: fine-tune a StaticEmbedding model on (anchor, positive)
// pairs from SNLI with MultipleNegativesRankingLoss, measure STSb before and after, save the model in the
// sentence-transformers format and load it back.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ready, SentenceTransformer, StaticEmbedding, defaultTokenizer, loadDataset, losses, Trainer, EmbeddingSimilarityEvaluator, recommendLosses,
} from '../index';

const DATA = join(__dirname, '..', '..', '..', 'notebooks', 'data');

async function main(): Promise<void> {
  const backend = await ready();
  console.log(`backend: ${backend.name}`);

  const pairs = (await loadDataset(join(DATA, 'snli-pairs-triplets'), { subset: 'pairs', split: 'train' })).select(['anchor', 'positive']);
  console.log(`training data: ${pairs.length} (anchor, positive) pairs`);
  const rec = recommendLosses(pairs);
  console.log(`losses that fit: ${rec.names().join(', ')}`);

  const sts = await loadDataset(join(DATA, 'stsb'), { split: 'validation' });
  const evaluator = EmbeddingSimilarityEvaluator.fromDataset(sts, { name: 'sts-dev', showProgressBar: false });

  const model = new SentenceTransformer([StaticEmbedding.random(defaultTokenizer(), { dim: 128, seed: 1 })]);
  const before = (await evaluator.evaluate(model)).metrics['sts-dev_spearman_cosine'];

  const trainer = new Trainer({
    model,
    trainDataset: pairs,
    loss: new losses.MultipleNegativesRankingLoss(model),
    evaluator,
    args: { numTrainEpochs: 1, perDeviceTrainBatchSize: 64, learningRate: 0.05, batchSampler: 'no_duplicates', evalStrategy: 'no', seed: 42 },
  });
  const out = await trainer.train();
  const after = (await evaluator.evaluate(model)).metrics['sts-dev_spearman_cosine'];
  console.log(`trained ${out.globalStep} steps, mean loss ${out.trainingLoss.toFixed(3)}`);
  console.log(`STSb dev Spearman (cosine): ${before.toFixed(4)} before → ${after.toFixed(4)} after`);

  const dir = mkdtempSync(join(tmpdir(), 'sentence-tfjs-start-'));
  try {
    await model.save(join(dir, 'model'));
    const loaded = await SentenceTransformer.load(join(dir, 'model'));
    const probe = ['A man is playing a flute.', 'A man plays the flute.'];
    const same = JSON.stringify(await loaded.encode(probe)) === JSON.stringify(await model.encode(probe));
    console.log(`saved in the sentence-transformers folder format and loaded back: embeddings ${same ? 'identical' : 'DIFFER'}`);
    if (!same || !(after > before)) process.exitCode = 1;
    loaded.dispose();
  } finally {
    rmSync(dir, { recursive: true, force: true });
    model.dispose();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
