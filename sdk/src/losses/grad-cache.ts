// GradCache (Gao et al. 2021, https://arxiv.org/abs/2101.06983), as sentence-transformers' cached losses:
// 1. embed every column in mini-batches with no gradient tape, keeping only the [B, d] embeddings;
// 2. compute the full-batch loss on those constants and its gradient w.r.t. each embedding matrix;
// 3. re-embed each mini-batch under the gradient tape and back-propagate sum(embedding · cached gradient),
//    accumulating the parameter gradients.
// Peak memory is one mini-batch's activations plus the [B, d] embeddings and the loss's [B, B·k] logits,
// and the result equals the plain loss's value and gradients.
import * as tf from '@tensorflow/tfjs';
import { leanVariableGrads } from '../backend/lean-gradients';
import type { SentenceTransformer } from '../sentence-transformer';
import { Rng, type RandomSource } from '../util/random';
import type { LossValueAndGradients } from './loss';

/**
 * Runs `fn` with Math.random replaced by a generator seeded with `seed`. tfjs draws the seed of every unseeded
 * random op (dropout) from Math.random, so the same seed replays the same dropout masks: the re-embedding of
 * step 3 then sees exactly the activations of step 1, as the reference's RandContext does with torch's RNG.
 * The substitution is synchronous and always undone.
 */
export function withReplayableRandomness<T>(seed: number, fn: () => T): T {
  const rng = new Rng(seed);
  const original = Math.random;
  Math.random = () => rng.next();
  try {
    return fn();
  } finally {
    Math.random = original;
  }
}

/** [begin, end) row ranges of at most `size` rows covering `total` rows. */
export function miniBatchRanges(total: number, size: number): [number, number][] {
  const ranges: [number, number][] = [];
  for (let begin = 0; begin < total; begin += size) ranges.push([begin, Math.min(begin + size, total)]);
  return ranges;
}

export function checkMiniBatchSize(lossName: string, miniBatchSize: number): void {
  if (!Number.isInteger(miniBatchSize) || miniBatchSize < 1) {
    throw new Error(`${lossName}: miniBatchSize must be a positive integer; got ${miniBatchSize}`);
  }
}

/** The reference refuses GradCache on StaticEmbedding models (their inputs have no batch dimension to split). */
export function refuseStaticEmbedding(model: SentenceTransformer, lossName: string, instead: string): void {
  const first = model.modules[0];
  if (first && /(^|\.)StaticEmbedding$/.test(first.type)) {
    throw new Error(`${lossName} is not compatible with a SentenceTransformer model based on a StaticEmbedding (first module ${first.type}); consider ${instead} instead`);
  }
}

/** Embeds `texts` in mini-batches with no gradient tape: only the [B, d] result stays allocated. */
export function embedInMiniBatches(
  model: SentenceTransformer,
  texts: string[],
  miniBatchSize: number,
  options: { training: boolean; seeds?: number[] },
): tf.Tensor2D {
  const parts = miniBatchRanges(texts.length, miniBatchSize).map(([begin, end], m) => {
    const embed = () => tf.tidy(() => model.embed(texts.slice(begin, end), { training: options.training }));
    return options.seeds ? withReplayableRandomness(options.seeds[m], embed) : embed();
  });
  if (parts.length === 1) return parts[0];
  const full = tf.concat(parts, 0) as tf.Tensor2D;
  tf.dispose(parts);
  return full;
}

export interface GradCacheRequest {
  model: SentenceTransformer;
  /** The batch's text columns, each of B texts. */
  columns: string[][];
  miniBatchSize: number;
  /** The full-batch loss from one [B, d] embedding matrix per column, differentiable w.r.t. them. */
  lossFromEmbeddings: (embeddings: tf.Tensor2D[]) => tf.Scalar;
  variables: tf.Variable[];
  /** Dropout on while embedding (default true, as the trainer's model.train()). */
  training?: boolean;
  /** Draws one seed per mini-batch for the dropout replay (default: Math.random). */
  seedSource?: RandomSource;
}

function addInto(acc: tf.NamedTensorMap, grads: tf.NamedTensorMap): void {
  for (const [name, g] of Object.entries(grads)) {
    const previous = acc[name];
    if (previous) {
      acc[name] = tf.add(previous, g);
      tf.dispose([previous, g]);
    } else {
      acc[name] = g;
    }
  }
}

/** Loss value and parameter gradients of `lossFromEmbeddings` over the whole batch, one mini-batch of activations at a time. */
export function gradCacheLossAndGradients(request: GradCacheRequest): LossValueAndGradients {
  const { model, columns, miniBatchSize, lossFromEmbeddings, variables, training = true } = request;
  const source = request.seedSource ?? { next: Math.random };
  const ranges = columns.map((texts) => miniBatchRanges(texts.length, miniBatchSize));
  const seeds = ranges.map((r) => r.map(() => Math.floor(source.next() * 4294967296)));

  // Step 1: embeddings as constants (no tape is active here, so no activations are kept).
  const embeddings = columns.map((texts, c) => embedInMiniBatches(model, texts, miniBatchSize, { training, seeds: seeds[c] }));
  // Step 2: the loss and d loss / d embeddings, on the full batch.
  let value: tf.Scalar;
  let embeddingGrads: tf.Tensor[];
  try {
    ({ value, grads: embeddingGrads } = tf.valueAndGrads((...e: tf.Tensor[]) => lossFromEmbeddings(e as tf.Tensor2D[]))(embeddings));
  } finally {
    tf.dispose(embeddings);
  }
  // Step 3: re-embed each mini-batch with the tape; d/dθ sum(e · g) = (de/dθ)ᵀ g is its share of d loss / dθ.
  const grads: tf.NamedTensorMap = {};
  try {
    if (variables.length > 0) {
      columns.forEach((texts, c) =>
        ranges[c].forEach(([begin, end], m) => {
          const cached = tf.slice(embeddingGrads[c], [begin, 0], [end - begin, -1]);
          const step = withReplayableRandomness(seeds[c][m], () =>
            leanVariableGrads(() => tf.sum(tf.mul(model.embed(texts.slice(begin, end), { training }), cached)), variables),
          );
          tf.dispose([cached, step.value]);
          addInto(grads, step.grads);
        }),
      );
    }
  } catch (e) {
    tf.dispose([value, ...Object.values(grads)]);
    throw e;
  } finally {
    tf.dispose(embeddingGrads);
  }
  return { value, grads };
}
