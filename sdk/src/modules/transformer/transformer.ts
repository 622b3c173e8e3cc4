// Transformer (sentence-transformers' models.Transformer over a BERT encoder): token embeddings plus
// position and token-type embeddings, LayerNorm, then N layers of multi-head self-attention and a GELU
// feed-forward, each with a residual and LayerNorm (post-norm, as BERT). Saved and loaded as a Hugging
// Face folder (config.json, model.safetensors with HF names, tokenizer.json).
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { Tokenizer } from '../../tokenizers';
import { readSafetensorsFile } from '../../io/safetensors';
import { takeTensor, writeWeights } from '../../io/weights';
import { readJSON, readJSONIfExists, writeJSON } from '../../io/json-files';
import type { Features, ForwardOptions, InputModule } from '../module';
import { tokenizeToFeatures } from '../tokenize';
import { BERT_PRESETS, bertConfig, fromHFConfig, toHFConfig, type BertConfig, type BertPreset } from './config';
import { attention, dropout, gelu, layerNorm, linear, maskToBias, mergeHeads, splitHeads, type LayerNormWeights, type Linear } from './layers';
import { bertWeightSpecs, stripModelPrefix, type WeightSpec } from './weights';

export interface BertLayer {
  query: Linear;
  key: Linear;
  value: Linear;
  attentionOutput: Linear;
  attentionNorm: LayerNormWeights;
  intermediate: Linear;
  output: Linear;
  outputNorm: LayerNormWeights;
}

export interface TransformerRandomOptions extends Partial<Omit<BertConfig, 'vocabSize'>> {
  /** Named size (tiny, small, minilm-l6); explicit fields override it. */
  preset?: BertPreset;
  /** Token sequences are truncated to this length (default 128, at most maxPositionEmbeddings). */
  maxSeqLength?: number;
  seed?: number;
}

export class Transformer implements InputModule {
  readonly type = 'sentence_transformers.models.Transformer';
  readonly wordEmbeddings: tf.Variable;
  readonly positionEmbeddings: tf.Variable;
  readonly tokenTypeEmbeddings: tf.Variable;
  readonly embeddingNorm: LayerNormWeights;
  readonly layers: BertLayer[];
  maxSeqLength: number;
  /** Every variable by its Hugging Face name; Linear kernels are stored transposed ([in, out]). */
  private readonly vars = new Map<string, tf.Variable>();

  /** `weights` are in Hugging Face layout (Linear [out, in]); they are copied, not taken. */
  constructor(
    readonly config: BertConfig,
    readonly tokenizer: Tokenizer,
    weights: Map<string, tf.Tensor>,
    options: { maxSeqLength?: number; source?: string } = {},
  ) {
    if (tokenizer.vocabSize > config.vocabSize) {
      throw new Error(`Transformer: the tokenizer has ${tokenizer.vocabSize} tokens but vocab_size is ${config.vocabSize}`);
    }
    const source = options.source ?? 'weights';
    for (const spec of bertWeightSpecs(config)) {
      const t = weights.get(spec.name);
      if (!t) throw new Error(`${source}: missing tensor '${spec.name}'`);
      if (t.shape.length !== spec.shape.length || t.shape.some((d, i) => d !== spec.shape[i])) {
        throw new Error(`${source}: tensor '${spec.name}' has shape [${t.shape}], expected [${spec.shape}]`);
      }
      const value = spec.kind === 'linear' ? tf.tidy(() => tf.transpose(t)) : t;
      this.vars.set(spec.name, tf.variable(value, true, undefined, 'float32'));
      if (value !== t) value.dispose();
    }
    const v = (name: string): tf.Variable => this.vars.get(name)!;
    const lin = (p: string): Linear => ({ kernel: v(`${p}.weight`), bias: v(`${p}.bias`) });
    const norm = (p: string): LayerNormWeights => ({ gamma: v(`${p}.weight`), beta: v(`${p}.bias`) });
    this.wordEmbeddings = v('embeddings.word_embeddings.weight');
    this.positionEmbeddings = v('embeddings.position_embeddings.weight');
    this.tokenTypeEmbeddings = v('embeddings.token_type_embeddings.weight');
    this.embeddingNorm = norm('embeddings.LayerNorm');
    this.layers = Array.from({ length: config.numLayers }, (_, i) => {
      const p = `encoder.layer.${i}`;
      return {
        query: lin(`${p}.attention.self.query`),
        key: lin(`${p}.attention.self.key`),
        value: lin(`${p}.attention.self.value`),
        attentionOutput: lin(`${p}.attention.output.dense`),
        attentionNorm: norm(`${p}.attention.output.LayerNorm`),
        intermediate: lin(`${p}.intermediate.dense`),
        output: lin(`${p}.output.dense`),
        outputNorm: norm(`${p}.output.LayerNorm`),
      };
    });
    this.maxSeqLength = Math.min(options.maxSeqLength ?? 128, config.maxPositionEmbeddings);
  }

  /** A randomly initialised encoder (normal(0, initializer_range) weights, zero biases, unit LayerNorms). */
  static random(tokenizer: Tokenizer, options: TransformerRandomOptions = {}): Transformer {
    const { preset, maxSeqLength, seed = 42, ...overrides } = options;
    const config = bertConfig({
      ...(preset ? BERT_PRESETS[preset] : BERT_PRESETS.tiny),
      ...overrides,
      vocabSize: tokenizer.vocabSize,
      padTokenId: tokenizer.padTokenId,
    });
    const weights = new Map<string, tf.Tensor>();
    bertWeightSpecs(config).forEach((spec, i) => weights.set(spec.name, initWeight(spec, config, seed * 1000 + i)));
    const m = new Transformer(config, tokenizer, weights, { maxSeqLength: maxSeqLength ?? Math.min(128, config.maxPositionEmbeddings) });
    weights.forEach((t) => t.dispose());
    return m;
  }

  /** Loads a Hugging Face BERT folder: config.json, model.safetensors, tokenizer.json (+ sentence_bert_config.json). */
  static async load(dir: string): Promise<Transformer> {
    const configFile = join(dir, 'config.json');
    const config = fromHFConfig(await readJSON<Record<string, unknown>>(configFile, 'Transformer config'), configFile);
    const tokenizer = Tokenizer.fromDir(dir);
    const stFile = join(dir, 'sentence_bert_config.json');
    const st = (await readJSONIfExists<{ max_seq_length?: number }>(stFile)) ?? {};
    const file = join(dir, 'model.safetensors');
    const { tensors } = await readSafetensorsFile(file);
    const renamed = new Map([...tensors].map(([k, t]) => [stripModelPrefix(k), t]));
    const weights = new Map<string, tf.Tensor>();
    try {
      for (const spec of bertWeightSpecs(config)) weights.set(spec.name, takeTensor(renamed, spec.name, spec.shape, file));
      return new Transformer(config, tokenizer, weights, { maxSeqLength: st.max_seq_length ?? 128, source: file });
    } finally {
      weights.forEach((t) => t.dispose());
    }
  }

  tokenize(texts: readonly string[]): Features {
    return tokenizeToFeatures(this.tokenizer, texts, this.maxSeqLength, true);
  }

  forward(features: Features, options: ForwardOptions): Features {
    const c = this.config;
    const training = options.training;
    const hidden: tf.Tensor3D[] = [];
    const last = tf.tidy(() => {
      const [, t] = features.inputIds.shape;
      if (t > c.maxPositionEmbeddings) throw new Error(`Transformer: sequence length ${t} exceeds max_position_embeddings ${c.maxPositionEmbeddings}`);
      const words = tf.gather(this.wordEmbeddings, features.inputIds);
      const positions = tf.slice(this.positionEmbeddings, [0, 0], [t, -1]);
      const tokenType = tf.slice(this.tokenTypeEmbeddings, [0, 0], [1, -1]);
      let x = tf.add(tf.add(words, positions), tokenType) as tf.Tensor3D;
      x = dropout(layerNorm(x, this.embeddingNorm, c.layerNormEps), c.hiddenDropoutProb, training) as tf.Tensor3D;
      if (options.outputHiddenStates) hidden.push(tf.keep(x));
      const bias = maskToBias(features.attentionMask);
      for (const layer of this.layers) {
        x = this.layer(x, layer, bias, training);
        if (options.outputHiddenStates) hidden.push(tf.keep(x));
      }
      return x;
    });
    const out: Features = { ...features, tokenEmbeddings: last };
    if (options.outputHiddenStates) out.allLayerEmbeddings = hidden;
    return out;
  }

  private layer(x: tf.Tensor3D, w: BertLayer, bias: tf.Tensor4D, training: boolean): tf.Tensor3D {
    const c = this.config;
    const q = splitHeads(linear(x, w.query), c.numHeads);
    const k = splitHeads(linear(x, w.key), c.numHeads);
    const v = splitHeads(linear(x, w.value), c.numHeads);
    const context = mergeHeads(attention(q, k, v, bias, c.attentionProbsDropoutProb, training));
    const attended = dropout(linear(context, w.attentionOutput), c.hiddenDropoutProb, training);
    const h = layerNorm(tf.add(attended, x), w.attentionNorm, c.layerNormEps);
    const ff = dropout(linear(gelu(linear(h, w.intermediate)), w.output), c.hiddenDropoutProb, training);
    return layerNorm(tf.add(ff, h), w.outputNorm, c.layerNormEps) as tf.Tensor3D;
  }

  trainableWeights(): tf.Variable[] {
    return [...this.vars.values()];
  }

  getSentenceEmbeddingDimension(): number {
    return this.config.hiddenSize;
  }

  /** Weights in Hugging Face layout (Linear [out, in]); the caller disposes the returned tensors. */
  namedWeights(): Map<string, tf.Tensor> {
    const out = new Map<string, tf.Tensor>();
    for (const spec of bertWeightSpecs(this.config)) {
      const v = this.vars.get(spec.name)!;
      out.set(spec.name, spec.kind === 'linear' ? tf.tidy(() => tf.transpose(v)) : v.clone());
    }
    return out;
  }

  async save(dir: string): Promise<void> {
    const named = this.namedWeights();
    try {
      await writeWeights(join(dir, 'model.safetensors'), named);
    } finally {
      named.forEach((t) => t.dispose());
    }
    await writeJSON(join(dir, 'config.json'), toHFConfig(this.config));
    await writeJSON(join(dir, 'sentence_bert_config.json'), { max_seq_length: this.maxSeqLength, do_lower_case: false });
    await writeFile(join(dir, 'tokenizer.json'), JSON.stringify(this.tokenizer.json));
    await writeJSON(join(dir, 'tokenizer_config.json'), { model_max_length: this.config.maxPositionEmbeddings, ...this.tokenizer.config });
  }

  describe(): string {
    const c = this.config;
    return `Transformer(BERT: ${c.numLayers} layers, hidden ${c.hiddenSize}, ${c.numHeads} heads, ffn ${c.intermediateSize}, max_seq_length ${this.maxSeqLength})`;
  }

  clone(): Transformer {
    const named = this.namedWeights();
    try {
      return new Transformer(this.config, this.tokenizer, named, { maxSeqLength: this.maxSeqLength });
    } finally {
      named.forEach((t) => t.dispose());
    }
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose());
  }
}

function initWeight(spec: WeightSpec, c: BertConfig, seed: number): tf.Tensor {
  switch (spec.kind) {
    case 'linear':
    case 'embedding':
      return tf.tidy(() => {
        const w = tf.randomNormal(spec.shape, 0, c.initializerRange, 'float32', seed);
        // The padding token's word embedding starts at zero, as nn.Embedding(padding_idx) does.
        if (spec.name !== 'embeddings.word_embeddings.weight') return w;
        const keep = tf.oneHot(tf.tensor1d([c.padTokenId], 'int32'), spec.shape[0]).reshape([spec.shape[0], 1]);
        return tf.mul(w, tf.sub(1, keep));
      });
    case 'norm-weight':
      return tf.ones(spec.shape);
    default:
      return tf.zeros(spec.shape);
  }
}
