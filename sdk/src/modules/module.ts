// The contract every module of a SentenceTransformer follows, as sentence-transformers' nn.Module
// sequence: each module reads the features dict and adds to it.
import type * as tf from '@tensorflow/tfjs';

/** What flows between modules, as sentence-transformers' `features` dict. */
export interface Features {
  /** Token ids, int32 [batch, seq]. */
  inputIds: tf.Tensor2D;
  /** 1 for real tokens, 0 for padding, int32 [batch, seq]. */
  attentionMask: tf.Tensor2D;
  /** Per-token embeddings, float32 [batch, seq, dim] (after a Transformer or StaticEmbedding without pooling). */
  tokenEmbeddings?: tf.Tensor3D;
  /** Every layer's hidden states when requested: index 0 is the embedding output, the last is the final layer. */
  allLayerEmbeddings?: tf.Tensor3D[];
  /** The sentence embedding, float32 [batch, dim]. */
  sentenceEmbedding?: tf.Tensor2D;
}

export interface ForwardOptions {
  /** Training mode: dropout on. */
  training: boolean;
  /** Ask a Transformer to return every layer's hidden states in `allLayerEmbeddings`. */
  outputHiddenStates?: boolean;
}

/** Weights by their sentence-transformers / Hugging Face names, for safetensors. */
export type NamedWeights = Map<string, tf.Tensor>;

export interface EmbeddingModule {
  /** The sentence-transformers class name written in modules.json, e.g. `sentence_transformers.models.Pooling`. */
  readonly type: string;
  /** Adds this module's outputs to the features; never disposes its inputs. */
  forward(features: Features, options: ForwardOptions): Features;
  /** Variables an optimizer should update (empty for parameter-free modules). */
  trainableWeights(): tf.Variable[];
  /** Output embedding size, where the module fixes it. */
  getSentenceEmbeddingDimension?(): number | undefined;
  /** Writes the module's own files (config, weights, tokenizer) into `dir`, which exists and is empty. */
  save(dir: string): Promise<void>;
  /** A short one-line description for summaries. */
  describe(): string;
  /** A deep copy with its own variables. */
  clone(): EmbeddingModule;
  dispose(): void;
}

/** The first module of a model: it owns the tokenizer and turns texts into features. */
export interface InputModule extends EmbeddingModule {
  readonly tokenizer: import('../tokenizers').Tokenizer;
  /** Longest token sequence kept (special tokens included); Infinity when unbounded. */
  maxSeqLength: number;
  tokenize(texts: readonly string[]): Features;
}

export function isInputModule(m: EmbeddingModule): m is InputModule {
  return typeof (m as Partial<InputModule>).tokenize === 'function' && (m as Partial<InputModule>).tokenizer !== undefined;
}
