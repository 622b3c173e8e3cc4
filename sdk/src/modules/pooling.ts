// Pooling (sentence-transformers' models.Pooling): token embeddings → one sentence embedding, by
// mean (default), cls, max, mean_sqrt_len_tokens, weightedmean or lasttoken over the real tokens;
// several modes are concatenated in that canonical order.
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { readJSON, writeJSON } from '../io/json-files';
import type { EmbeddingModule, Features, ForwardOptions } from './module';
import { floatMask3d } from './tokenize';

export const POOLING_MODES = ['cls', 'max', 'mean', 'mean_sqrt_len_tokens', 'weightedmean', 'lasttoken'] as const;
export type PoolingMode = (typeof POOLING_MODES)[number];

const LEGACY_KEYS: Record<string, PoolingMode> = {
  pooling_mode_cls_token: 'cls',
  pooling_mode_max_tokens: 'max',
  pooling_mode_mean_tokens: 'mean',
  pooling_mode_mean_sqrt_len_tokens: 'mean_sqrt_len_tokens',
  pooling_mode_weightedmean_tokens: 'weightedmean',
  pooling_mode_lasttoken: 'lasttoken',
};

export interface PoolingOptions {
  mode?: PoolingMode | PoolingMode[];
  includePrompt?: boolean;
}

export class Pooling implements EmbeddingModule {
  readonly type = 'sentence_transformers.models.Pooling';
  readonly modes: PoolingMode[];
  readonly includePrompt: boolean;

  constructor(
    readonly embeddingDimension: number,
    options: PoolingOptions = {},
  ) {
    const modes = options.mode === undefined ? ['mean' as const] : Array.isArray(options.mode) ? options.mode : [options.mode];
    for (const m of modes) {
      if (!POOLING_MODES.includes(m)) throw new Error(`Pooling: invalid mode '${m}'; valid modes are ${POOLING_MODES.join(', ')}`);
    }
    if (modes.length === 0) throw new Error('Pooling: at least one mode is needed');
    // Concatenation follows the canonical order, whatever order the modes were given in.
    this.modes = POOLING_MODES.filter((m) => modes.includes(m));
    this.includePrompt = options.includePrompt ?? true;
  }

  /** Reads 1_Pooling/config.json with either the legacy pooling_mode_* keys or the v5.4+ pooling_mode key. */
  static async load(dir: string): Promise<Pooling> {
    const file = join(dir, 'config.json');
    const c = await readJSON<Record<string, unknown>>(file, 'Pooling config');
    const dim = c.embedding_dimension ?? c.word_embedding_dimension;
    if (typeof dim !== 'number') throw new Error(`${file}: needs 'word_embedding_dimension' or 'embedding_dimension'`);
    let mode: PoolingMode[];
    if (c.pooling_mode !== undefined) {
      mode = (Array.isArray(c.pooling_mode) ? c.pooling_mode : [c.pooling_mode]) as PoolingMode[];
    } else {
      mode = Object.entries(LEGACY_KEYS).filter(([k]) => c[k] === true).map(([, m]) => m);
      if (mode.length === 0) mode = ['mean'];
    }
    try {
      return new Pooling(dim, { mode, includePrompt: c.include_prompt !== false });
    } catch (e) {
      throw new Error(`${file}: ${(e as Error).message}`);
    }
  }

  forward(features: Features, _options: ForwardOptions): Features {
    const tokens = features.tokenEmbeddings;
    if (!tokens) throw new Error('Pooling needs token embeddings: put a Transformer (or another token-level module) before it');
    if (tokens.shape[2] !== this.embeddingDimension) {
      throw new Error(`Pooling expects token embeddings of size ${this.embeddingDimension}; got ${tokens.shape[2]}`);
    }
    const sentenceEmbedding = tf.tidy(() => {
      const mask = floatMask3d(features.attentionMask);
      const count = tf.maximum(tf.sum(mask, 1), 1e-9);
      const parts = this.modes.map((mode) => {
        switch (mode) {
          case 'cls': {
            // The first real token: index 0 with right padding.
            const first = tf.argMax(features.attentionMask, 1);
            return gatherRows(tokens, first);
          }
          case 'max':
            return tf.max(tf.add(tokens, tf.mul(tf.sub(1, mask), -1e9)), 1);
          case 'mean':
            return tf.div(tf.sum(tf.mul(tokens, mask), 1), count);
          case 'mean_sqrt_len_tokens':
            return tf.div(tf.sum(tf.mul(tokens, mask), 1), tf.sqrt(count));
          case 'weightedmean': {
            const t = tokens.shape[1];
            const w = tf.mul(mask, tf.reshape(tf.range(1, t + 1, 1, 'float32'), [1, t, 1]));
            return tf.div(tf.sum(tf.mul(tokens, w), 1), tf.maximum(tf.sum(w, 1), 1e-9));
          }
          case 'lasttoken': {
            const last = tf.sub(tf.sum(tf.cast(features.attentionMask, 'int32'), 1), tf.scalar(1, 'int32'));
            return gatherRows(tokens, tf.maximum(last, 0));
          }
        }
      });
      return (parts.length === 1 ? parts[0] : tf.concat(parts, 1)) as tf.Tensor2D;
    });
    return { ...features, sentenceEmbedding };
  }

  trainableWeights(): tf.Variable[] {
    return [];
  }

  getSentenceEmbeddingDimension(): number {
    return this.modes.length * this.embeddingDimension;
  }

  /** Written with the legacy keys, which every sentence-transformers version reads. */
  async save(dir: string): Promise<void> {
    const config: Record<string, unknown> = { word_embedding_dimension: this.embeddingDimension };
    for (const [key, mode] of Object.entries(LEGACY_KEYS)) config[key] = this.modes.includes(mode);
    config.include_prompt = this.includePrompt;
    await writeJSON(join(dir, 'config.json'), config);
  }

  describe(): string {
    return `Pooling(${this.modes.join('+')}, dim ${this.getSentenceEmbeddingDimension()})`;
  }

  clone(): Pooling {
    return new Pooling(this.embeddingDimension, { mode: this.modes, includePrompt: this.includePrompt });
  }

  dispose(): void {}
}

/** tokens [B, T, D], one position per row → [B, D] */
function gatherRows(tokens: tf.Tensor3D, positions: tf.Tensor): tf.Tensor2D {
  const [b, t, d] = tokens.shape;
  const flat = tf.reshape(tokens, [b * t, d]);
  const index = tf.add(tf.mul(tf.range(0, b, 1, 'int32'), tf.scalar(t, 'int32')), tf.cast(positions, 'int32'));
  return tf.gather(flat, index) as tf.Tensor2D;
}
