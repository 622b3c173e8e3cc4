// The TSDAE decoder: what Hugging Face's BertLMHeadModel(is_decoder=True, add_cross_attention=True)
// computes when sentence-transformers builds it from the encoder's own checkpoint. Per layer:
//   h  = LN(x + SelfAttention_causal(x))                         (the encoder layer's weights when tied)
//   h' = LN(h + CrossAttention(q = h, k = v = sentence embedding)) (own weights; one key, so every position
//                                                                   receives the projected embedding)
//   x  = LN(h' + FFN(h'))                                         (the encoder layer's weights when tied)
// then the LM head LN(gelu(dense(x))) · word_embeddingsᵀ + bias. Embeddings (word, position, token type,
// LayerNorm) come first, as in BERT.
//
// Tying (the default, as tie_encoder_decoder=True): every decoder parameter that has a namesake in the
// encoder IS the encoder's variable (embeddings, self-attention, feed-forward); only the cross-attention
// and the LM head transform/bias are the decoder's own. Untied: the decoder starts from a copy of the
// encoder (as loading the same checkpoint twice does) and trains it separately.
import * as tf from '@tensorflow/tfjs';
import type { Transformer, BertLayer } from '../../modules/transformer/transformer';
import { attention, dropout, gelu, layerNorm, linear, mergeHeads, splitHeads, type LayerNormWeights, type Linear } from '../../modules/transformer/layers';

export interface CrossAttentionWeights {
  query: Linear;
  key: Linear;
  value: Linear;
  output: Linear;
  norm: LayerNormWeights;
}

export interface LmHeadWeights {
  transform: Linear;
  norm: LayerNormWeights;
  /** Output bias [vocab]; the output matrix is the (tied) word embeddings. */
  bias: tf.Variable;
}

export interface TsdaeDecoderOptions {
  /** Share the encoder's variables (default true). */
  tieEncoderDecoder?: boolean;
  /** Seed of the new weights' normal(0, initializer_range) init. */
  seed?: number;
}

export class TsdaeDecoder {
  /** Embeddings and self-attention / feed-forward weights: the encoder itself when tied, a copy otherwise. */
  readonly base: Transformer;
  readonly crossAttention: CrossAttentionWeights[];
  readonly head: LmHeadWeights;
  readonly tied: boolean;
  private readonly own: tf.Variable[] = [];

  constructor(encoder: Transformer, options: TsdaeDecoderOptions = {}) {
    this.tied = options.tieEncoderDecoder ?? true;
    this.base = this.tied ? encoder : encoder.clone();
    const c = this.base.config;
    const h = c.hiddenSize;
    let seed = options.seed ?? 7;
    const variable = (init: tf.Tensor): tf.Variable => {
      const v = tf.variable(init, true, undefined, 'float32');
      init.dispose();
      this.own.push(v);
      return v;
    };
    const lin = (inDim: number, outDim: number): Linear => ({
      kernel: variable(tf.randomNormal([inDim, outDim], 0, c.initializerRange, 'float32', seed++)),
      bias: variable(tf.zeros([outDim])),
    });
    const norm = (): LayerNormWeights => ({ gamma: variable(tf.ones([h])), beta: variable(tf.zeros([h])) });
    this.crossAttention = Array.from({ length: c.numLayers }, () => ({ query: lin(h, h), key: lin(h, h), value: lin(h, h), output: lin(h, h), norm: norm() }));
    this.head = { transform: lin(h, h), norm: norm(), bias: variable(tf.zeros([c.vocabSize])) };
  }

  get padTokenId(): number {
    return this.base.tokenizer.padTokenId;
  }

  /** Variables the loss owns: cross-attention and LM head, plus the whole copy when untied. */
  ownWeights(): tf.Variable[] {
    return this.tied ? [...this.own] : [...this.base.trainableWeights(), ...this.own];
  }

  /** Next-token logits [B, T, vocab] for `inputIds` [B, T], cross-attending to one sentence embedding [B, H] per row. */
  logits(inputIds: tf.Tensor2D, sentenceEmbedding: tf.Tensor2D, training: boolean): tf.Tensor3D {
    const c = this.base.config;
    const [b, t] = inputIds.shape;
    if (sentenceEmbedding.shape[0] !== b || sentenceEmbedding.shape[1] !== c.hiddenSize) {
      throw new Error(`TSDAE decoder: the sentence embeddings must be [${b}, ${c.hiddenSize}] (one hidden-size vector per target row); got [${sentenceEmbedding.shape}]`);
    }
    if (t > c.maxPositionEmbeddings) throw new Error(`TSDAE decoder: ${t} decoder positions exceed max_position_embeddings ${c.maxPositionEmbeddings}`);
    return tf.tidy(() => {
      const words = tf.gather(this.base.wordEmbeddings, inputIds);
      const positions = tf.slice(this.base.positionEmbeddings, [0, 0], [t, -1]);
      const tokenType = tf.slice(this.base.tokenTypeEmbeddings, [0, 0], [1, -1]);
      let x = dropout(layerNorm(tf.add(tf.add(words, positions), tokenType), this.base.embeddingNorm, c.layerNormEps), c.hiddenDropoutProb, training) as tf.Tensor3D;
      // Causal mask: position i attends to positions ≤ i (HF passes no padding mask: pads only follow real tokens).
      const causal = tf.reshape(tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([t, t]), -1, 0)), -1e9), [1, 1, t, t]);
      const memory = tf.expandDims(sentenceEmbedding, 1) as tf.Tensor3D; // [B, 1, H]: encoder_hidden_states = emb[:, None]
      this.base.layers.forEach((layer, i) => {
        x = this.layer(x, memory, layer, this.crossAttention[i], causal, training);
      });
      const hidden = layerNorm(gelu(linear(x, this.head.transform)), this.head.norm, c.layerNormEps);
      const flat = tf.reshape(hidden, [b * t, c.hiddenSize]) as tf.Tensor2D;
      const logits = tf.add(tf.matMul(flat, this.base.wordEmbeddings as tf.Tensor2D, false, true), this.head.bias);
      return tf.reshape(logits, [b, t, c.vocabSize]) as tf.Tensor3D;
    });
  }

  private layer(x: tf.Tensor3D, memory: tf.Tensor3D, w: BertLayer, cross: CrossAttentionWeights, causal: tf.Tensor, training: boolean): tf.Tensor3D {
    const c = this.base.config;
    const heads = c.numHeads;
    const attend = (queries: tf.Tensor, keys: tf.Tensor, q: Linear, k: Linear, v: Linear, out: Linear, bias: tf.Tensor | undefined) => {
      const context = mergeHeads(attention(splitHeads(linear(queries, q), heads), splitHeads(linear(keys, k), heads), splitHeads(linear(keys, v), heads), bias, c.attentionProbsDropoutProb, training));
      return dropout(linear(context, out), c.hiddenDropoutProb, training);
    };
    const h = layerNorm(tf.add(attend(x, x, w.query, w.key, w.value, w.attentionOutput, causal), x), w.attentionNorm, c.layerNormEps);
    const crossed = layerNorm(tf.add(attend(h, memory, cross.query, cross.key, cross.value, cross.output, undefined), h), cross.norm, c.layerNormEps);
    const ff = dropout(linear(gelu(linear(crossed, w.intermediate)), w.output), c.hiddenDropoutProb, training);
    return layerNorm(tf.add(ff, crossed), w.outputNorm, c.layerNormEps) as tf.Tensor3D;
  }

  /** Frees the decoder's own variables (and the copy when untied); never the encoder's. */
  dispose(): void {
    this.own.forEach((v) => v.dispose());
    if (!this.tied) this.base.dispose();
  }
}
