// bench/cached-mnrl: peak memory of one training step (loss + parameter gradients) of
// CachedMultipleNegativesRankingLoss (GradCache, miniBatchSize 32) against MultipleNegativesRankingLoss,
// for (anchor, positive) batches of 64, 128, 256 and 1024 pairs on the wasm backend (heap limit 4 GiB).
// Peak = high-water mark of tf.memory().numBytes during the step (tf.profile's per-kernel snapshot), minus the
// bytes held before it (the model's weights). Each configuration runs in its own process, so the wasm heap
// size (which only grows) is that configuration's too; MNRL is run only up to the batch where it still fits.
//   npx tsx bench/cached-mnrl.ts [--quick]
import { spawnSync } from 'node:child_process';
import * as tf from '@tensorflow/tfjs';
import { ready, SentenceTransformer, Transformer, Pooling, defaultTokenizer } from '../sdk/src';
import { CachedMultipleNegativesRankingLoss } from '../sdk/src/losses/cached-multiple-negatives-ranking-loss';
import { MultipleNegativesRankingLoss } from '../sdk/src/losses/multiple-negatives-ranking-loss';
import { Rng } from '../sdk/src/util/random';

const MODEL = { hiddenSize: 128, numLayers: 2, numHeads: 4, intermediateSize: 512, maxSeqLength: 64 };
const WORDS_PER_TEXT = 24;
const MINI_BATCH_SIZE = 32;

interface Measurement {
  loss: 'cached' | 'mnrl';
  batch: number;
  peakStepBytes: number;
  weightBytes: number;
  wasmHeapBytes: number;
  seconds: number;
  value: number;
}

function texts(n: number, rng: Rng): string[] {
  const vocab = 'the a model learns sentence embeddings from pairs of similar texts and ranks them by cosine similarity across every batch while memory stays small'.split(' ');
  return Array.from({ length: n }, () => Array.from({ length: WORDS_PER_TEXT }, () => vocab[rng.int(vocab.length)]).join(' '));
}

function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.length ?? 0;
}

/** One configuration, in this process: prints one JSON line. */
async function measureOne(loss: 'cached' | 'mnrl', batch: number): Promise<void> {
  await ready();
  // The profiler would otherwise read every kernel output back to check for NaN.
  tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
  const model = new SentenceTransformer([Transformer.random(defaultTokenizer(), { ...MODEL, seed: 1 }), new Pooling(MODEL.hiddenSize)]);
  const rng = new Rng(batch);
  const columns = [texts(batch, rng), texts(batch, rng)];
  const lossFn = loss === 'cached' ? new CachedMultipleNegativesRankingLoss(model, { miniBatchSize: MINI_BATCH_SIZE }) : new MultipleNegativesRankingLoss(model);
  const weightBytes = tf.memory().numBytes;
  let value = NaN;
  const t0 = performance.now();
  const profile = await tf.profile(() => {
    const step = lossFn.lossAndGradients({ columns, columnNames: ['anchor', 'positive'] });
    value = step.value.dataSync()[0];
    tf.dispose([step.value, ...Object.values(step.grads)]);
  });
  const m: Measurement = { loss, batch, peakStepBytes: profile.peakBytes - weightBytes, weightBytes, wasmHeapBytes: wasmHeapBytes(), seconds: (performance.now() - t0) / 1000, value };
  console.log(JSON.stringify(m));
  model.dispose();
}

const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1);

function main(): void {
  const batches = process.argv.includes('--quick') ? [64, 128] : [64, 128, 256, 1024];
  const rows: string[] = [];
  let mnrlFits = true;
  for (const batch of batches) {
    for (const loss of ['cached', 'mnrl'] as const) {
      if (loss === 'mnrl' && !mnrlFits) {
        rows.push(`| MNRL | ${batch} | does not fit (a smaller batch already failed) | | | |`);
        continue;
      }
      const child = spawnSync(process.execPath, ['--import', 'tsx', __filename, '--one', loss, String(batch)], {
        encoding: 'utf8',
        env: { ...process.env, SENTENCE_TFJS_QUIET: '1', SENTENCE_TFJS_BACKEND: 'wasm' },
        maxBuffer: 1 << 24,
      });
      const line = child.stdout.split('\n').find((l) => l.startsWith('{'));
      if (child.status !== 0 || !line) {
        // An allocation the wasm heap cannot grow for aborts the module (emscripten prints "Aborted()").
        const stderr = child.stderr ?? '';
        const why = stderr.includes('Aborted()') ? 'wasm heap exhausted (Aborted())' : (stderr || `exit ${child.status}`).trim().split('\n').slice(-1)[0].slice(0, 120);
        rows.push(`| ${loss === 'cached' ? `CachedMNRL (mini-batch ${MINI_BATCH_SIZE})` : 'MNRL'} | ${batch} | does not fit: ${why} | | | |`);
        if (loss === 'mnrl') mnrlFits = false;
        continue;
      }
      const m = JSON.parse(line) as Measurement;
      const name = m.loss === 'cached' ? `CachedMNRL (mini-batch ${MINI_BATCH_SIZE})` : 'MNRL';
      rows.push(`| ${name} | ${m.batch} | ${mb(m.peakStepBytes)} | ${mb(m.wasmHeapBytes)} | ${m.seconds.toFixed(1)} | ${m.value.toFixed(4)} |`);
      process.stderr.write(`${rows[rows.length - 1]}\n`);
    }
  }
  console.log(`\nOne training step (loss + gradients) on wasm: Transformer ${JSON.stringify(MODEL)} + mean pooling, ${WORDS_PER_TEXT}-word texts, dropout 0.1.\n`);
  console.log('| loss | batch (pairs) | peak tensor MiB above the weights | wasm heap MiB | seconds | loss value |');
  console.log('|---|---:|---:|---:|---:|---:|');
  rows.forEach((r) => console.log(r));
}

const one = process.argv.indexOf('--one');
if (one >= 0) {
  measureOne(process.argv[one + 1] as 'cached' | 'mnrl', Number(process.argv[one + 2])).catch((e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
} else {
  main();
}
