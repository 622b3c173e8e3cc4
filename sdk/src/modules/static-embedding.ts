// StaticEmbedding (sentence-transformers' models.StaticEmbedding): one trainable vector per token,
// averaged over a sentence's tokens (nn.EmbeddingBag(mode='mean')); no special tokens are added.
// Outputs the sentence embedding directly, so it needs no Pooling module.
import * as tf from '@tensorflow/tfjs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Tokenizer, wordLevelTokenizer } from '../tokenizers';
import { readSafetensorsFile } from '../io/safetensors';
import { takeTensor, writeWeights } from '../io/weights';
import type { Features, ForwardOptions, InputModule } from './module';
import { tokenizeToFeatures } from './tokenize';
import { embeddingBagMean } from '../backend/embedding-bag';

export interface StaticEmbeddingRandomOptions {
  dim: number;
  /** Seed of the N(0, 1) initialisation (nn.EmbeddingBag's default). */
  seed?: number;
}

export class StaticEmbedding implements InputModule {
  readonly type = 'sentence_transformers.models.StaticEmbedding';
  readonly embedding: tf.Variable<tf.Rank.R2>;
  maxSeqLength: number;

  constructor(
    readonly tokenizer: Tokenizer,
    weights: tf.Tensor2D,
    options: { maxSeqLength?: number } = {},
  ) {
    if (weights.shape[0] < tokenizer.vocabSize) {
      throw new Error(`StaticEmbedding: embedding matrix has ${weights.shape[0]} rows but the tokenizer has ${tokenizer.vocabSize} tokens`);
    }
    this.embedding = tf.variable(weights, true, undefined, 'float32') as tf.Variable<tf.Rank.R2>;
    this.maxSeqLength = options.maxSeqLength ?? Infinity;
  }

  /** Random N(0, 1) vectors, as nn.EmbeddingBag initialises them. */
  static random(tokenizer: Tokenizer, options: StaticEmbeddingRandomOptions): StaticEmbedding {
    if (!Number.isInteger(options.dim) || options.dim <= 0) throw new Error(`StaticEmbedding.random: dim must be a positive integer; got ${options.dim}`);
    const w = tf.randomNormal([tokenizer.vocabSize, options.dim], 0, 1, 'float32', options.seed ?? 42) as tf.Tensor2D;
    const m = new StaticEmbedding(tokenizer, w);
    w.dispose();
    return m;
  }

  /**
   * Starts from word vectors in GloVe's text format (`word v1 v2 ...` per line): the vocabulary becomes a
   * word-level tokenizer ([PAD] and [UNK] first, zero vectors).
   */
  static async fromGlove(path: string, options: { lowercase?: boolean; maxWords?: number } = {}): Promise<StaticEmbedding> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (e) {
      throw new Error(`cannot read GloVe vectors ${path}: ${(e as Error).message}`);
    }
    return StaticEmbedding.fromGloveText(text, { ...options, source: path });
  }

  static fromGloveText(text: string, options: { lowercase?: boolean; maxWords?: number; source?: string } = {}): StaticEmbedding {
    const source = options.source ?? 'GloVe text';
    const words: string[] = [];
    const rows: number[][] = [];
    const seen = new Set<string>();
    let dim = -1;
    const lines = text.split('\n');
    for (let i = 0; i < lines.length && words.length < (options.maxWords ?? Infinity); i++) {
      const line = lines[i].trimEnd();
      if (!line) continue;
      const parts = line.split(' ');
      const values = parts.slice(1).map(Number);
      if (dim < 0) dim = values.length;
      if (values.length !== dim || values.some((v) => !Number.isFinite(v))) {
        throw new Error(`${source} line ${i + 1}: expected a word and ${dim} numbers; got ${parts.length - 1} values`);
      }
      const word = options.lowercase === false ? parts[0] : parts[0].toLowerCase();
      if (seen.has(word)) continue;
      seen.add(word);
      words.push(word);
      rows.push(values);
    }
    if (dim <= 0) throw new Error(`${source}: no vectors found`);
    const tokenizer = wordLevelTokenizer(words, { lowercase: options.lowercase ?? true });
    const specials = tokenizer.vocabSize - words.length;
    const matrix = new Float32Array(tokenizer.vocabSize * dim);
    rows.forEach((r, i) => matrix.set(r, (i + specials) * dim));
    const w = tf.tensor2d(matrix, [tokenizer.vocabSize, dim]);
    const m = new StaticEmbedding(tokenizer, w);
    w.dispose();
    return m;
  }

  static async load(dir: string): Promise<StaticEmbedding> {
    const tokenizer = Tokenizer.fromDir(dir);
    const file = join(dir, 'model.safetensors');
    const { tensors } = await readSafetensorsFile(file);
    const name = tensors.has('embedding.weight') ? 'embedding.weight' : 'embeddings';
    const w = takeTensor(tensors, name, undefined, file) as tf.Tensor2D;
    if (w.rank !== 2) throw new Error(`${file}: '${name}' must be 2-D; got shape [${w.shape}]`);
    const m = new StaticEmbedding(tokenizer, w);
    w.dispose();
    return m;
  }

  tokenize(texts: readonly string[]): Features {
    return tokenizeToFeatures(this.tokenizer, texts, this.maxSeqLength, false);
  }

  forward(features: Features, _options: ForwardOptions): Features {
    // One kernel on wasm and cpu (backend/embedding-bag.ts); an empty bag gives a zero vector, as nn.EmbeddingBag does.
    const sentenceEmbedding = embeddingBagMean(this.embedding as tf.Tensor2D, features.inputIds, features.attentionMask);
    return { ...features, sentenceEmbedding };
  }

  trainableWeights(): tf.Variable[] {
    return [this.embedding];
  }

  getSentenceEmbeddingDimension(): number {
    return this.embedding.shape[1];
  }

  async save(dir: string): Promise<void> {
    await writeWeights(join(dir, 'model.safetensors'), new Map([['embedding.weight', this.embedding]]));
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(this.tokenizer.json));
  }

  describe(): string {
    return `StaticEmbedding(vocab=${this.embedding.shape[0]}, dim=${this.embedding.shape[1]})`;
  }

  clone(): StaticEmbedding {
    return new StaticEmbedding(this.tokenizer, this.embedding, { maxSeqLength: this.maxSeqLength });
  }

  dispose(): void {
    this.embedding.dispose();
  }
}
