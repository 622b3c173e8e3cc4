// Small real models and a short training loop for the loss-class tests: a 2-layer Transformer (hidden 32)
// with mean pooling, or a StaticEmbedding, both on the bundled bert-base-uncased tokenizer.
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { Pooling, StaticEmbedding, Transformer } from '../../../sdk/src/modules';
import { defaultTokenizer } from '../../../sdk/src/tokenizers';
import type { Batch, SentenceLoss } from '../../../sdk/src/losses/loss';

export function tinyTransformerModel(options: { seed?: number; dropout?: number } = {}): SentenceTransformer {
  const { seed = 1, dropout = 0 } = options;
  return new SentenceTransformer([
    Transformer.random(defaultTokenizer(), {
      hiddenSize: 32,
      numLayers: 2,
      numHeads: 2,
      intermediateSize: 64,
      maxSeqLength: 64,
      seed,
      hiddenDropoutProb: dropout,
      attentionProbsDropoutProb: dropout,
    }),
    new Pooling(32, { mode: 'mean' }),
  ]);
}

export function tinyStaticModel(seed = 1): SentenceTransformer {
  return new SentenceTransformer([StaticEmbedding.random(defaultTokenizer(), { dim: 16, seed })]);
}

export const ANCHORS = ['a man plays the flute', 'the stock market fell', 'a cat sleeps on the sofa', 'rain is expected tomorrow', 'she bakes bread every morning', 'the train was late again'];
export const POSITIVES = ['someone is playing a flute', 'shares dropped sharply', 'a kitten naps on the couch', 'tomorrow will be wet', 'every day she makes bread', 'the railway service was delayed'];
export const NEGATIVES = ['a woman sings a song', 'the market opened higher', 'a dog runs in the park', 'the sun shines all week', 'he buys bread at the shop', 'the plane left on time'];

export function batchOf(columns: string[][], names = ['anchor', 'positive', 'negative'].slice(0, columns.length), labels?: tf.Tensor): Batch {
  return { columns, columnNames: names, labels };
}

/** Gradients by variable name as plain arrays (for equality checks), disposing the tensors. */
export function gradsToArrays(grads: tf.NamedTensorMap): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const [name, g] of Object.entries(grads)) {
    out[name] = Array.from(g.dataSync());
    g.dispose();
  }
  return out;
}

/** Every variable's gradient equal within atol + rtol·max|g| of that variable. */
export function assertSameGradients(actual: Record<string, number[]>, expected: Record<string, number[]>, rtol = 1e-4, atol = 1e-7): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), 'the same variables get gradients');
  for (const [name, e] of Object.entries(expected)) {
    const a = actual[name];
    let scale = 0;
    let worst = 0;
    e.forEach((v, i) => {
      scale = Math.max(scale, Math.abs(v));
      worst = Math.max(worst, Math.abs(v - a[i]));
    });
    assert.ok(worst <= atol + rtol * scale, `gradient of ${name}: max difference ${worst} (max |g| ${scale})`);
  }
}

/**
 * A few Adam steps on the loss's trainable weights; returns the loss values. Asserts that the tensor count
 * stays flat once the optimizer's slots exist (after the first step).
 */
export function trainSteps(loss: SentenceLoss, batch: Batch, steps = 6, learningRate = 1e-2): number[] {
  const optimizer = tf.train.adam(learningRate);
  const values: number[] = [];
  const counts: number[] = [];
  try {
    for (let s = 0; s < steps; s++) {
      const { value, grads } = loss.lossAndGradients(batch);
      optimizer.applyGradients(Object.entries(grads).map(([name, tensor]) => ({ name, tensor })));
      values.push(value.dataSync()[0]);
      tf.dispose([value, ...Object.values(grads)]);
      counts.push(tf.memory().numTensors);
    }
  } finally {
    optimizer.dispose();
  }
  assert.ok(counts.slice(1).every((c) => c === counts[1]), `tensor count across steps: ${counts.join(', ')}`);
  assert.ok(values.every(Number.isFinite), `finite losses: ${values.join(', ')}`);
  return values;
}
