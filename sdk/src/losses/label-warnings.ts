// One-time warnings about label values, without stalling the loss: the check is computed on the backend and
// read asynchronously (no dataSync in the training step); the warning prints at most once per loss per process.
import * as tf from '@tensorflow/tfjs';

const warned = new Set<string>();

/** Warns once (per loss name) when some label is neither 0 nor 1; `consequence` says what the loss does with them. */
export function warnOnceIfNotBinary(loss: string, labels: tf.Tensor, consequence: string): void {
  if (warned.has(loss)) return;
  const notBinary = tf.tidy(() => tf.any(tf.logicalAnd(tf.notEqual(labels, 0), tf.notEqual(labels, 1))));
  const pending = notBinary.data();
  notBinary.dispose(); // safe: every backend keeps the data of a tensor with a pending read
  void pending.then((flag) => {
    if (flag[0] && !warned.has(loss)) {
      warned.add(loss);
      console.warn(`${loss}: found labels other than 0 and 1; ${consequence}. (Shown once.)`);
    }
  });
}
