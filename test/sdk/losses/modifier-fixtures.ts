// Runs the torch reference cases of the loss modifiers (MatryoshkaLoss, AdaptiveLayerLoss, Matryoshka2dLoss):
// the wrapped loss's functional core is found by its class name among the loss files, the recorded
// random.sample draws are replayed, and value and d loss / d embeddings are compared at 1e-4.
import * as tf from '@tensorflow/tfjs';
import type { EmbeddingLossFn } from '../../../sdk/src/losses/wrapped-loss';
import type { LossFixture } from '../../reference/fixtures';
import { assertAllClose, type Matrix } from './gradient-checks';
import { ReplayedSamples } from './replay-random';
import { lossModule } from './loss-files';

type Functional = (embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: object) => tf.Scalar;

/** The functional core of a loss class (e.g. 'CoSENTLoss' → cosentLoss in its file), or undefined while its file is not written. */
export function functionalCore(className: string): Functional | undefined {
  const mod = lossModule(className);
  if (!mod) return undefined;
  const fn = Object.entries(mod.exports).find(([k, v]) => typeof v === 'function' && k !== className && k.toLowerCase() === className.toLowerCase());
  if (!fn) throw new Error(`${mod.file} has the catalog entry of ${className} but no functional core named like it`);
  return fn[1] as Functional;
}

export function labelsTensor(labels: LossFixture['inputs']['labels']): tf.Tensor | undefined {
  if (labels === null) return undefined;
  return tf.tensor(labels as number[]);
}

/**
 * Value and embedding gradients of `modifier(embeddings, labels, options)` for a fixture case, compared with
 * the reference. Returns false (nothing checked) when the wrapped loss's file does not exist yet.
 */
export function checkModifierFixture(c: LossFixture, modifier: (embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: never) => tf.Scalar): boolean {
  const inner = functionalCore(c.inner!.loss);
  if (!inner) return false;
  const innerOptions = c.inner!.options;
  const innerLoss: EmbeddingLossFn = (e, l) => inner(e, l, innerOptions);
  const inputs = c.inputs.embeddings.map((m) => tf.tensor2d(m));
  const labels = labelsTensor(c.inputs.labels);
  const rng = new ReplayedSamples(c.inputs.randomSamples ?? []);
  const options = { ...c.options, innerLoss, rng, ...(c.inputs.numLayers !== undefined ? { numLayers: c.inputs.numLayers } : {}) };
  // Inputs a random draw leaves out get a zero gradient; the 0·Σ term connects them for tf.valueAndGrads.
  const f = (...e: tf.Tensor[]) => tf.add(modifier(e as tf.Tensor2D[], labels, options as never), tf.mul(0, tf.addN(e.map((x) => tf.sum(x))))) as tf.Scalar;
  const { value, grads } = tf.valueAndGrads(f)(inputs);
  try {
    assertAllClose(value.arraySync() as number, c.expected.loss, { atol: 1e-4, rtol: 1e-4, what: `${c.name} loss` });
    assertAllClose(grads.map((g) => g.arraySync() as Matrix), c.expected.grads, { atol: 1e-4, rtol: 1e-4, what: `${c.name} gradient` });
    if (rng.remaining !== 0) throw new Error(`${c.name}: ${rng.remaining} recorded draws were not used`);
  } finally {
    tf.dispose([value, ...grads, ...inputs, ...(labels ? [labels] : [])]);
  }
  return true;
}
