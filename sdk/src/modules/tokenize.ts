// Texts → Features tensors, shared by the input modules.
import * as tf from '@tensorflow/tfjs';
import type { Tokenizer } from '../tokenizers';
import type { Features } from './module';

/** Flat Int32Arrays straight into the tensors: building nested number[][] rows costs more than a StaticEmbedding forward. */
export function tokenizeToFeatures(tokenizer: Tokenizer, texts: readonly string[], maxLength: number | undefined, addSpecialTokens: boolean): Features {
  const enc = tokenizer.encodeBatchFlat(texts, { maxLength: Number.isFinite(maxLength) ? maxLength : undefined, addSpecialTokens });
  return {
    inputIds: tf.tensor2d(enc.inputIds, [texts.length, enc.width], 'int32'),
    attentionMask: tf.tensor2d(enc.attentionMask, [texts.length, enc.width], 'int32'),
  };
}

/** A float [B, T, 1] mask from the int attention mask, for masked sums. */
export function floatMask3d(mask: tf.Tensor2D): tf.Tensor3D {
  return tf.expandDims(tf.cast(mask, 'float32'), 2) as tf.Tensor3D;
}
