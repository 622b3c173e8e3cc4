// tfjs has no stop-gradient op; sentence-transformers detaches some values (MNRL's hardness penalty,
// AdaptiveLayer's KL target). The value passes through, the gradient is zero.
import * as tf from '@tensorflow/tfjs';

const sg = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  return { value: x.clone(), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) };
});

/** The same values with no gradient flowing back (torch's `x.detach()` inside a differentiated function). */
export function stopGradient<T extends tf.Tensor>(x: T): T {
  return sg(x) as T;
}
