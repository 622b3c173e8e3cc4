// Comparisons and selections on values that carry a gradient, with torch's gradient semantics.
// - tfjs registers no gradient for Less / Greater, so a mask made with tf.less from a differentiated tensor makes
//   tf.grad throw ("gradient function not found for Less"). tf.step has a (zero) gradient, so these masks are
//   built from it: float32 0/1, no gradient through them. Used where sentence-transformers compares detached
//   values: OnlineContrastiveLoss's thresholds, BatchSemiHardTripletLoss's "farther than D_ap", active triplets.
// - tf.max / tf.min send the gradient to every tied entry; torch's max(dim) / min(dim) send it to the one entry
//   they return. Ties are common in the batch triplet losses (the row maximum added to same-class entries ties
//   with a negative that is itself the row maximum), so their reductions select one entry, as torch does.
import * as tf from '@tensorflow/tfjs';

/** 1 where a > b (strictly), else 0 (NaN compares false); broadcasts; no gradient. */
export function greaterMask(a: tf.Tensor, b: tf.Tensor | number): tf.Tensor {
  return tf.tidy(() => tf.step(tf.sub(a, b)));
}

/**
 * √x where x > 0, and 0 with a zero gradient where x ≤ 0 (sentence-transformers' "sqrt only where non-zero";
 * torch.norm's subgradient at 0). The plain tf.sqrt gradient at 0 is 0 · ∞ = NaN, which would poison a batch
 * holding one duplicate embedding.
 */
export function sqrtZeroGradAtZero(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => {
    const positive = tf.step(x);
    // Where x ≤ 0 the argument is 1 − 0 = 1, so √ and its gradient stay finite, then the mask zeroes both.
    return tf.mul(tf.sqrt(tf.add(tf.mul(x, positive), tf.sub(1, positive))), positive);
  });
}

/** max over the last axis with the gradient sent to one entry (the first maximum), as torch's max(dim). */
export function maxSelectingOne(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sum(tf.mul(x, tf.oneHot(tf.argMax(x, -1), x.shape[x.rank - 1])), -1));
}

/** min over the last axis with the gradient sent to one entry (the first minimum), as torch's min(dim). */
export function minSelectingOne(x: tf.Tensor): tf.Tensor {
  return tf.tidy(() => tf.sum(tf.mul(x, tf.oneHot(tf.argMin(x, -1), x.shape[x.rank - 1])), -1));
}
