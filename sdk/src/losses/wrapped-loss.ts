// How the loss modifiers (Matryoshka, AdaptiveLayer, Matryoshka2d) run the loss they wrap. Like
// sentence-transformers, which decorates model.forward (and the cached losses' calculate_loss) for the
// duration of one call, a modifier lets the wrapped loss run its own forward pass (its guide model, its
// second tower, its labels) and substitutes only the model's embeddings, or, for a loss that computes its
// own gradients (GradCache), the function it differentiates. The substitution is an own property on the
// instance, undone in `finally`, so nested modifiers (Matryoshka2d = AdaptiveLayer ∘ Matryoshka) compose.
import type * as tf from '@tensorflow/tfjs';
import { SentenceLoss, type Batch } from './loss';

/** A loss as a function of the column embeddings (one [B, d] matrix per text column) and labels. */
export type EmbeddingLossFn = (embeddings: tf.Tensor2D[], labels?: tf.Tensor) => tf.Scalar;

type EmbedColumns = (batch: Batch) => tf.Tensor2D[];
type ComputeFromEmbeddings = (embeddings: tf.Tensor2D[], labels?: tf.Tensor, ...rest: never[]) => tf.Scalar;

function substitute<K extends 'embedColumns' | 'computeFromEmbeddings', T>(loss: SentenceLoss, key: K, replacement: SentenceLoss[K], run: () => T): T {
  const target = loss as unknown as Record<string, unknown>;
  const hadOwn = Object.prototype.hasOwnProperty.call(target, key);
  const previous = target[key];
  target[key] = replacement;
  try {
    return run();
  } finally {
    if (hadOwn) target[key] = previous;
    else delete target[key];
  }
}

/** Runs `run` while `loss.embedColumns` returns `embeddings` instead of asking the model. */
export function withColumnEmbeddings<T>(loss: SentenceLoss, embeddings: tf.Tensor2D[], run: () => T): T {
  const replacement: EmbedColumns = () => embeddings;
  return substitute(loss, 'embedColumns', replacement, run);
}

/** `loss` on the given column embeddings, through its own forward pass (guide models, towers, label derivation). */
export function forwardOnEmbeddings(loss: SentenceLoss, batch: Batch, embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined): tf.Scalar {
  return withColumnEmbeddings(loss, embeddings, () => loss.forward({ ...batch, labels }));
}

/**
 * Runs `run` while `loss.computeFromEmbeddings(e, labels, ...)` is `objective(e, labels, original)`, where
 * `original` is the loss's own computeFromEmbeddings (extra arguments, such as GIST's guide embeddings, pass through).
 */
export function withObjective<T>(
  loss: SentenceLoss,
  objective: (embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, original: EmbeddingLossFn) => tf.Scalar,
  run: () => T,
): T {
  const own = loss.computeFromEmbeddings as ComputeFromEmbeddings;
  const replacement: ComputeFromEmbeddings = (embeddings, labels, ...rest) => objective(embeddings, labels, (e, l) => own.call(loss, e, l, ...rest));
  return substitute(loss, 'computeFromEmbeddings', replacement, run);
}

/** True when the loss replaces the default end-to-end gradient (GradCache losses, GIST's guide pass). */
export function computesOwnGradients(loss: SentenceLoss): boolean {
  return loss.lossAndGradients !== SentenceLoss.prototype.lossAndGradients;
}

/** True for the GradCache losses (they carry `usesGradientCache`). */
export function usesGradientCache(loss: SentenceLoss): boolean {
  return (loss as { usesGradientCache?: unknown }).usesGradientCache === true;
}

/** Warnings of the modifiers (the reference logs them); silenced by SENTENCE_TFJS_QUIET=1 like the SDK's other notices. */
export function modifierWarning(message: string): void {
  if (process.env.SENTENCE_TFJS_QUIET !== '1') process.stderr.write(`sentence-tfjs: ${message}\n`);
}
