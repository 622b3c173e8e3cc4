// DenoisingAutoEncoderLoss (TSDAE): unsupervised training by reconstruction. The damaged sentence is
// encoded to ONE sentence embedding; a transformer decoder that cross-attends only to that vector must
// predict the original sentence token by token, so the embedding has to carry the sentence's content.
//
//   ids = tokenize(original) = [CLS] w_1 … w_n [SEP] [PAD]…
//   logits = decoder(inputs = ids[:, :-1], encoder_hidden_states = emb(damaged)[:, None])
//   loss = CE(logits, targets = ids[:, 1:]), averaged over the target tokens that are not padding
//
// The decoder (tsdae/decoder.ts) has the encoder's architecture plus cross-attention and an LM head.
// Arguments (defaults as sentence-transformers): tieEncoderDecoder true (the decoder's embeddings,
// self-attention and feed-forward ARE the encoder's variables; only cross-attention and the LM head are the
// loss's own), seed of the new weights. decoderNameOrPath (another decoder checkpoint) is not supported:
// the decoder is always built from the encoder's config.
//
// | texts                                        | labels |
// | (damaged_sentence, original_sentence) pairs  | none   |
// | single sentences → tsdaeNoise(data) first    | none   |
//
// Needs a model whose first module is a Transformer. trainableWeights() adds the decoder's own weights.
// Noise is not part of the loss: data/converters/tsdae-noise.ts deletes 60% of the words.
// Sampler: default. Related: ContrastiveTensionLoss / ContrastiveTensionLossInBatchNegatives (other
// unsupervised losses), MultipleNegativesRankingLoss once you have pairs.
// Paper: Wang et al. 2021, "TSDAE: Using Transformer-based Sequential Denoising Auto-Encoder for Unsupervised
// Sentence Embedding Learning", https://arxiv.org/abs/2104.06979
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { SentenceLoss, type Batch } from './loss';
import { TsdaeDecoder } from './tsdae/decoder';

const NAME = 'DenoisingAutoEncoderLoss';

export interface DenoisingAutoEncoderLossOptions {
  /** The decoder (it holds the cross-attention and LM head weights). */
  decoder: TsdaeDecoder;
  /** Token ids of the original sentences, int32 [B, T], padded with the tokenizer's pad id. */
  targetIds: tf.Tensor2D;
  /** Dropout in the decoder (default true: the loss is used for training). */
  training?: boolean;
}

/**
 * The reconstruction loss from the damaged sentences' embeddings (`embeddings[0]`, [B, hidden]; a second
 * column, if given, is ignored: the originals enter as `targetIds`).
 */
export function denoisingAutoEncoderLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: DenoisingAutoEncoderLossOptions): tf.Scalar {
  void labels;
  if (embeddings.length < 1 || embeddings.length > 2) {
    throw new Error(`${NAME} expects (damaged_sentence, original_sentence) pairs: the damaged sentences' embeddings first; got ${embeddings.length} embedding columns`);
  }
  const { decoder, targetIds } = options;
  if (!decoder || !targetIds) throw new Error(`${NAME}: options.decoder and options.targetIds (the original sentences' token ids) are required`);
  const [b, t] = targetIds.shape;
  if (embeddings[0].shape[0] !== b) throw new Error(`${NAME}: ${embeddings[0].shape[0]} damaged sentences but ${b} rows of target ids`);
  if (t < 2) throw new Error(`${NAME}: target ids need at least 2 tokens per row (the decoder predicts ids[1:] from ids[:-1]); got length ${t}`);
  return tf.tidy(() => {
    const inputs = tf.slice(targetIds, [0, 0], [b, t - 1]);
    const targets = tf.reshape(tf.slice(targetIds, [0, 1], [b, t - 1]), [-1]) as tf.Tensor1D;
    const logits = decoder.logits(inputs, embeddings[0], options.training ?? true);
    const vocab = logits.shape[2];
    const logProbs = tf.logSoftmax(tf.reshape(logits, [-1, vocab]));
    const nll = tf.neg(tf.sum(tf.mul(logProbs, tf.oneHot(targets, vocab)), 1));
    // CrossEntropyLoss(ignore_index = pad): the mean over the non-pad targets.
    const keep = tf.cast(tf.notEqual(targets, decoder.padTokenId), 'float32');
    return tf.div(tf.sum(tf.mul(nll, keep)), tf.maximum(tf.sum(keep), 1)) as tf.Scalar;
  });
}

export interface DenoisingAutoEncoderLossClassOptions {
  /** Share the encoder's weights with the decoder (default true, as sentence-transformers). */
  tieEncoderDecoder?: boolean;
  /** Seed of the decoder's new weights (cross-attention, LM head). */
  seed?: number;
  /** Not supported: a decoder checkpoint other than the encoder. */
  decoderNameOrPath?: never;
}

export class DenoisingAutoEncoderLoss extends SentenceLoss {
  readonly name: string = NAME;
  readonly decoder: TsdaeDecoder;
  private batchTargetIds?: tf.Tensor2D;

  constructor(model: SentenceTransformer, options: DenoisingAutoEncoderLossClassOptions = {}) {
    super(model);
    if ((options as { decoderNameOrPath?: unknown }).decoderNameOrPath !== undefined) {
      throw new Error(`${NAME}: decoderNameOrPath is not supported; the decoder is built from the encoder's own config (and tied to it unless tieEncoderDecoder: false)`);
    }
    const transformer = model.transformer;
    if (!transformer) throw new Error(`${NAME} needs a model whose first module is a Transformer (the decoder copies its architecture); got ${model.modules[0].describe()}`);
    this.decoder = new TsdaeDecoder(transformer, { tieEncoderDecoder: options.tieEncoderDecoder, seed: options.seed });
  }

  /** Only the damaged column is embedded; the original column becomes the decoder's targets. */
  override embedColumns(batch: Batch): tf.Tensor2D[] {
    if (batch.columns.length !== 2) {
      throw new Error(
        `${NAME} expects 2 text columns (damaged_sentence, original_sentence); got ${batch.columns.length} (${batch.columnNames.join(', ')}). ` +
          'Make them from single sentences with tsdaeNoise(data)',
      );
    }
    return [this.model.embed(batch.columns[0], { training: true })];
  }

  /** Needs the batch's original sentences: call it through forward / lossAndGradients. */
  computeFromEmbeddings(embeddings: tf.Tensor2D[]): tf.Scalar {
    if (!this.batchTargetIds) throw new Error(`${NAME}.computeFromEmbeddings needs the original sentences of the batch: call forward(batch)`);
    return denoisingAutoEncoderLoss(embeddings, undefined, { decoder: this.decoder, targetIds: this.batchTargetIds });
  }

  override forward(batch: Batch): tf.Scalar {
    const embeddings = this.embedColumns(batch);
    const features = this.model.tokenize(batch.columns[1]);
    this.batchTargetIds = features.inputIds;
    try {
      return this.computeFromEmbeddings(embeddings);
    } finally {
      tf.dispose([features.inputIds, features.attentionMask]);
      this.batchTargetIds = undefined;
    }
  }

  /** The model's weights plus the decoder's own (cross-attention, LM head; the whole decoder when untied). */
  override trainableWeights(): tf.Variable[] {
    return [...this.model.trainableWeights(), ...this.decoder.ownWeights()];
  }

  override dispose(): void {
    this.decoder.dispose();
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'standard',
  formats: [
    { texts: 'single', labels: 'none' },
    { texts: 'damaged-original', labels: 'none' },
  ],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 2, max: 2 },
  summary: 'Unsupervised (TSDAE): a decoder must rebuild each sentence from the embedding of a damaged copy; needs a Transformer model and pairs made by tsdaeNoise.',
};
