// The pieces of a BERT layer as plain functions over tensors, so the encoder and the TSDAE decoder
// share them. Linear weights are kept [in, out] so every forward matMul is the fast untransposed one.
import * as tf from '@tensorflow/tfjs';
import { dropout as fusedDropout } from '../../backend/fused-dropout';
import { layerNorm as fusedLayerNorm } from '../../backend/fused-layer-norm';

export interface Linear {
  kernel: tf.Variable; // [in, out]
  bias: tf.Variable; // [out]
}

export interface LayerNormWeights {
  gamma: tf.Variable;
  beta: tf.Variable;
}

/** x [..., in] · kernel + bias → [..., out] */
export function linear(x: tf.Tensor, w: Linear): tf.Tensor {
  const shape = x.shape;
  const flat = tf.reshape(x, [-1, shape[shape.length - 1]]) as tf.Tensor2D;
  const y = tf.add(tf.matMul(flat, w.kernel as tf.Tensor2D), w.bias);
  return tf.reshape(y, [...shape.slice(0, -1), w.kernel.shape[1] as number]);
}

/** LayerNorm over the last axis: one fused kernel on wasm and cpu (backend/fused-layer-norm.ts). */
export function layerNorm(x: tf.Tensor, w: LayerNormWeights, eps: number): tf.Tensor {
  return fusedLayerNorm(x, w.gamma, w.beta, eps);
}

/** GELU with the exact erf, as Hugging Face's "gelu": one fused kernel on wasm and cpu (backend/fused-gelu.ts). */
export { gelu } from '../../backend/fused-gelu';

/** Inverted dropout while training: one kernel on wasm and cpu, nothing saved for the gradient (backend/fused-dropout.ts). */
export function dropout(x: tf.Tensor, rate: number, training: boolean): tf.Tensor {
  return training && rate > 0 ? fusedDropout(x, rate) : x;
}

/** [B, T, H] → [B, heads, T, H/heads] */
export function splitHeads(x: tf.Tensor, heads: number): tf.Tensor4D {
  const [b, t, h] = x.shape;
  return tf.transpose(tf.reshape(x, [b, t, heads, h / heads]), [0, 2, 1, 3]) as tf.Tensor4D;
}

/** [B, heads, T, d] → [B, T, heads·d] */
export function mergeHeads(x: tf.Tensor4D): tf.Tensor3D {
  const [b, heads, t, d] = x.shape;
  return tf.reshape(tf.transpose(x, [0, 2, 1, 3]), [b, t, heads * d]) as tf.Tensor3D;
}

/**
 * Scaled dot-product attention. `bias` is added to the scores before softmax: 0 where attending is
 * allowed, a large negative number where it is not ([B, 1, Tq or 1, Tk]).
 */
export function attention(q: tf.Tensor4D, k: tf.Tensor4D, v: tf.Tensor4D, bias: tf.Tensor | undefined, dropoutRate: number, training: boolean): tf.Tensor4D {
  const d = q.shape[3];
  let scores = tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(d));
  if (bias) scores = tf.add(scores, bias);
  const probs = dropout(tf.softmax(scores), dropoutRate, training);
  return tf.matMul(probs, v) as tf.Tensor4D;
}

/** From a 0/1 mask [B, T] to an additive bias [B, 1, 1, T]. */
export function maskToBias(mask: tf.Tensor2D): tf.Tensor4D {
  const [b, t] = mask.shape;
  return tf.reshape(tf.mul(tf.sub(1, tf.cast(mask, 'float32')), -1e9), [b, 1, 1, t]) as tf.Tensor4D;
}
