// Gradient clipping by global norm (torch.nn.utils.clip_grad_norm_): if the norm of all gradients
// together exceeds maxNorm, every gradient is scaled by maxNorm / (norm + 1e-6).
import * as tf from '@tensorflow/tfjs';

/** Returns the clipped gradients (new tensors; the input map is disposed) and the pre-clip norm. */
export function clipGradNorm(grads: tf.NamedTensorMap, maxNorm: number): { grads: tf.NamedTensorMap; norm: tf.Scalar } {
  const names = Object.keys(grads);
  const norm = tf.tidy(() => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n]))))) as tf.Scalar);
  if (!(maxNorm > 0) || names.length === 0) return { grads, norm };
  const clipped = tf.tidy(() => {
    const coef = tf.minimum(tf.div(maxNorm, tf.add(norm, 1e-6)), 1);
    const out: tf.NamedTensorMap = {};
    for (const n of names) out[n] = tf.mul(grads[n], coef);
    return out;
  });
  tf.dispose(Object.values(grads));
  return { grads: clipped, norm };
}
