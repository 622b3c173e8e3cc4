// SentenceTransformer: a sequence of modules (input module → pooling → dense → normalize ...), as
// sentence-transformers' SentenceTransformer. `embed` is the differentiable path losses use;
// `encode` is the batched inference path; save/load use the sentence-transformers folder format.
import * as tf from '@tensorflow/tfjs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { ready } from './backend/select';
import { rowsOfParts } from './backend/rows-of-parts';
import { readJSON, readJSONIfExists, writeJSON } from './io/json-files';
import { writeDirAtomically } from './io/atomic-dir';
import { cosSim, dotScore, euclideanSim, manhattanSim, normalizeRows } from './losses/similarity';
import { periodicYield } from './util/periodic-yield';
import { longestFirst } from './util/longest-first';
import { isInputModule, type EmbeddingModule, type Features, type InputModule } from './modules/module';
import { moduleLoader, SUPPORTED_MODULE_TYPES } from './modules/registry';
import type { Tokenizer } from './tokenizers';
import type { Transformer } from './modules/transformer/transformer';

export type SimilarityFnName = 'cosine' | 'dot' | 'euclidean' | 'manhattan';
export const SIMILARITY_FN_NAMES: readonly SimilarityFnName[] = ['cosine', 'dot', 'euclidean', 'manhattan'];

export interface EncodeOptions {
  /** Sentences per forward pass (default 32). */
  batchSize?: number;
  /** L2-normalise each embedding (after truncation). */
  normalizeEmbeddings?: boolean;
  /** Keep only the first N dimensions (Matryoshka models). */
  truncateDim?: number;
  /** Show a progress bar (in the kernel or a terminal). Default: only for more than one batch. */
  showProgressBar?: boolean;
}

export type ConvertTo = 'array' | 'float32' | 'tensor';

/** What encode returns for each convertTo. */
export interface EncodeResult {
  array: number[][];
  float32: Float32Array[];
  tensor: tf.Tensor2D;
}

export interface SentenceTransformerOptions {
  similarityFnName?: SimilarityFnName;
  /** Named prompts (prefixes) as in config_sentence_transformers.json. */
  prompts?: Record<string, string>;
  defaultPromptName?: string | null;
}

/** Hook for progress reporting; the progress module registers a real one. */
export type ProgressFactory = (total: number, description: string, enabled: boolean | undefined) => { update(n: number): void; close(): void };
let progressFactory: ProgressFactory | undefined;
export function setEncodeProgressFactory(f: ProgressFactory | undefined): void {
  progressFactory = f;
}

export class SentenceTransformer {
  readonly modules: EmbeddingModule[];
  similarityFnName: SimilarityFnName;
  prompts: Record<string, string>;
  defaultPromptName: string | null;

  constructor(modules: EmbeddingModule[], options: SentenceTransformerOptions = {}) {
    if (modules.length === 0) throw new Error('SentenceTransformer needs at least one module');
    if (!isInputModule(modules[0])) {
      throw new Error(`SentenceTransformer: the first module must tokenize texts (Transformer or StaticEmbedding); got ${modules[0].describe()}`);
    }
    this.modules = modules;
    this.similarityFnName = options.similarityFnName ?? 'cosine';
    if (!SIMILARITY_FN_NAMES.includes(this.similarityFnName)) {
      throw new Error(`similarityFnName must be one of ${SIMILARITY_FN_NAMES.join(', ')}; got '${this.similarityFnName}'`);
    }
    this.prompts = options.prompts ?? {};
    this.defaultPromptName = options.defaultPromptName ?? null;
  }

  get inputModule(): InputModule {
    return this.modules[0] as InputModule;
  }

  get tokenizer(): Tokenizer {
    return this.inputModule.tokenizer;
  }

  get maxSeqLength(): number {
    return this.inputModule.maxSeqLength;
  }

  set maxSeqLength(n: number) {
    this.inputModule.maxSeqLength = n;
  }

  /** The Transformer module, if the model starts with one (AdaptiveLayerLoss, TSDAE need it). */
  get transformer(): Transformer | undefined {
    const m = this.modules[0];
    return m.type.endsWith('Transformer') ? (m as Transformer) : undefined;
  }

  tokenize(texts: readonly string[]): Features {
    return this.inputModule.tokenize(texts);
  }

  /** Runs every module in order. The caller owns (and disposes, or tidies) the returned tensors. */
  forward(features: Features, options: { training: boolean; outputHiddenStates?: boolean } = { training: false }): Features {
    let f = features;
    for (const m of this.modules) f = m.forward(f, options);
    return f;
  }

  private checkTexts(texts: readonly string[], what: string): void {
    if (!Array.isArray(texts)) throw new Error(`${what} expects an array of strings; got ${typeof texts}`);
    texts.forEach((t, i) => {
      if (typeof t !== 'string') throw new Error(`${what}: text ${i} is ${t === null ? 'null' : typeof t}, not a string`);
    });
  }

  /**
   * Sentence embeddings [B, dim], differentiable w.r.t. trainableWeights(): what losses call inside
   * tf.variableGrads. Intermediate tensors are tidied; the result is the caller's.
   */
  embed(texts: readonly string[], options: { training?: boolean } = {}): tf.Tensor2D {
    this.checkTexts(texts, 'embed');
    return tf.tidy(() => {
      const out = this.forward(this.tokenize(texts), { training: options.training ?? false });
      if (!out.sentenceEmbedding) throw new Error('the last module produced no sentence embedding: add a Pooling module');
      return out.sentenceEmbedding;
    });
  }

  /**
   * One sentence embedding per hidden state of the Transformer (embedding output first, final layer last),
   * each pooled by the rest of the model, as AdaptiveLayerLoss needs.
   */
  embedAllLayers(texts: readonly string[], options: { training?: boolean } = {}): tf.Tensor2D[] {
    this.checkTexts(texts, 'embedAllLayers');
    if (!this.transformer) throw new Error('embedAllLayers needs a model whose first module is a Transformer');
    const training = options.training ?? false;
    const layers = tf.tidy(() => {
      const features = this.modules[0].forward(this.tokenize(texts), { training, outputHiddenStates: true });
      const hidden = features.allLayerEmbeddings!;
      const pooled = hidden.map((h) => {
        let f: Features = { ...features, tokenEmbeddings: h, allLayerEmbeddings: undefined };
        for (const m of this.modules.slice(1)) f = m.forward(f, { training });
        return f.sentenceEmbedding!;
      });
      // The Transformer keeps its hidden states for its caller (an enclosing tidy would not free them);
      // the gradient tape holds its own copies, so they can go now.
      tf.dispose(hidden);
      return pooled;
    });
    return layers;
  }

  /** Batched inference: texts in, embeddings out (in input order). */
  async encode(texts: string | readonly string[], options?: EncodeOptions & { convertTo?: 'array' }): Promise<number[][]>;
  async encode(texts: string | readonly string[], options: EncodeOptions & { convertTo: 'float32' }): Promise<Float32Array[]>;
  async encode(texts: string | readonly string[], options: EncodeOptions & { convertTo: 'tensor' }): Promise<tf.Tensor2D>;
  async encode(texts: string | readonly string[], options: EncodeOptions & { convertTo?: ConvertTo } = {}): Promise<EncodeResult[ConvertTo]> {
    await ready();
    const list = typeof texts === 'string' ? [texts] : texts;
    this.checkTexts(list, 'encode');
    const batchSize = options.batchSize ?? 32;
    if (!Number.isInteger(batchSize) || batchSize <= 0) throw new Error(`encode: batchSize must be a positive integer; got ${batchSize}`);
    const dim = this.getSentenceEmbeddingDimension();
    if (options.truncateDim !== undefined && (!Number.isInteger(options.truncateDim) || options.truncateDim <= 0 || options.truncateDim > dim)) {
      throw new Error(`encode: truncateDim must be an integer in 1..${dim}; got ${options.truncateDim}`);
    }
    const order = longestFirst(list);
    const numBatches = Math.ceil(order.length / batchSize);
    const bar = progressFactory?.(order.length, 'Encoding', options.showProgressBar ?? (numBatches > 1 ? undefined : false));
    const parts: tf.Tensor2D[] = [];
    const yieldSometimes = periodicYield();
    try {
      for (let start = 0; start < order.length; start += batchSize) {
        const idx = order.subarray(start, start + batchSize);
        parts.push(
          tf.tidy(() => {
            let e = this.embed(Array.from(idx, (i) => list[i]));
            if (options.truncateDim !== undefined) e = tf.slice(e, [0, 0], [-1, options.truncateDim]);
            if (options.normalizeEmbeddings) e = normalizeRows(e);
            return e;
          }),
        );
        bar?.update(idx.length);
        // Let a kernel deliver progress and interrupts between batches.
        if (numBatches > 1) await yieldSometimes();
      }
    } catch (e) {
      parts.forEach((p) => p.dispose());
      throw e;
    } finally {
      bar?.close();
    }
    const outDim = options.truncateDim ?? dim;
    const result = tf.tidy(() => {
      if (parts.length === 0) return tf.zeros([0, outDim]) as tf.Tensor2D;
      const inverse = new Int32Array(order.length);
      for (let pos = 0; pos < order.length; pos++) inverse[order[pos]] = pos;
      return rowsOfParts(parts, inverse);
    });
    parts.forEach((p) => p.dispose());
    const convertTo = options.convertTo ?? 'array';
    if (convertTo === 'tensor') return result;
    const flat = (await result.data()) as Float32Array;
    result.dispose();
    const rows = Array.from({ length: list.length }, (_, i) => flat.subarray(i * outDim, (i + 1) * outDim));
    if (convertTo === 'float32') return rows.map((r) => Float32Array.from(r));
    if (convertTo === 'array') return rows.map((r) => Array.from(r));
    throw new Error(`encode: convertTo must be 'array', 'float32' or 'tensor'; got '${String(convertTo)}'`);
  }

  /** Pairwise similarity [Na, Nb] by the model's similarity function (cosine by default). */
  similarity(a: tf.Tensor2D | number[][], b: tf.Tensor2D | number[][]): tf.Tensor2D {
    return tf.tidy(() => {
      const ta = Array.isArray(a) ? tf.tensor2d(a) : a;
      const tb = Array.isArray(b) ? tf.tensor2d(b) : b;
      switch (this.similarityFnName) {
        case 'cosine':
          return cosSim(ta, tb);
        case 'dot':
          return dotScore(ta, tb);
        case 'euclidean':
          return euclideanSim(ta, tb);
        case 'manhattan':
          return manhattanSim(ta, tb);
      }
    });
  }

  trainableWeights(): tf.Variable[] {
    return this.modules.flatMap((m) => m.trainableWeights());
  }

  getSentenceEmbeddingDimension(): number {
    for (let i = this.modules.length - 1; i >= 0; i--) {
      const d = this.modules[i].getSentenceEmbeddingDimension?.();
      if (d !== undefined) return d;
    }
    throw new Error('no module declares the embedding dimension');
  }

  /** A deep copy with its own variables (ContrastiveTension's second tower, a frozen teacher). */
  clone(): SentenceTransformer {
    return new SentenceTransformer(
      this.modules.map((m) => m.clone()),
      { similarityFnName: this.similarityFnName, prompts: { ...this.prompts }, defaultPromptName: this.defaultPromptName },
    );
  }

  dispose(): void {
    this.modules.forEach((m) => m.dispose());
  }

  /** A readable summary, as printing a sentence-transformers model shows. */
  toString(): string {
    return `SentenceTransformer(\n${this.modules.map((m, i) => `  (${i}): ${m.describe()}`).join('\n')}\n)`;
  }

  [Symbol.for('jupyter.mimebundle')](): Record<string, string> {
    const rows = this.modules.map((m, i) => `<tr><td>${i}</td><td><code>${escapeHtml(m.describe())}</code></td></tr>`).join('');
    const params = this.trainableWeights().reduce((n, v) => n + v.size, 0);
    return {
      'text/plain': this.toString(),
      'text/html': `<b>SentenceTransformer</b> — ${params.toLocaleString('en-US')} parameters, ${this.getSentenceEmbeddingDimension()}-d embeddings, similarity ${this.similarityFnName}<table><tr><th>#</th><th>module</th></tr>${rows}</table>`,
    };
  }

  /** Writes the sentence-transformers folder format, atomically. */
  async save(dir: string): Promise<void> {
    await ready();
    await writeDirAtomically(dir, (tmp) => this.writeFiles(tmp));
  }

  /** Writes the model's files into an existing empty folder (not atomic: save() and checkpoints wrap it). */
  async writeFiles(dir: string): Promise<void> {
    const entries = [];
    for (const [i, m] of this.modules.entries()) {
      const className = m.type.split('.').pop()!;
      // The Transformer lives at the root, as sentence-transformers saves it.
      const path = i === 0 && className === 'Transformer' ? '' : `${i}_${className}`;
      const moduleDir = join(dir, path);
      if (path) await mkdir(moduleDir);
      await m.save(moduleDir);
      entries.push({ idx: i, name: String(i), path, type: m.type });
    }
    await writeJSON(join(dir, 'modules.json'), entries);
    await writeJSON(join(dir, 'config_sentence_transformers.json'), {
      __version__: { sentence_transformers: '5.1.0', 'sentence-tfjs': SDK_VERSION },
      model_type: 'SentenceTransformer',
      prompts: this.prompts,
      default_prompt_name: this.defaultPromptName,
      similarity_fn_name: this.similarityFnName,
    });
  }

  /** Loads a sentence-transformers folder (modules.json + module folders). */
  static async load(dir: string): Promise<SentenceTransformer> {
    await ready();
    const modulesFile = join(dir, 'modules.json');
    const entries = await readJSON<{ idx?: number; path: string; type: string }[]>(modulesFile, 'modules.json');
    if (!Array.isArray(entries) || entries.length === 0) throw new Error(`${modulesFile} must list at least one module`);
    const config = (await readJSONIfExists<{ similarity_fn_name?: SimilarityFnName | null; prompts?: Record<string, string>; default_prompt_name?: string | null }>(join(dir, 'config_sentence_transformers.json'))) ?? {};
    const modules: EmbeddingModule[] = [];
    try {
      for (const [i, e] of entries.entries()) {
        if (typeof e?.type !== 'string' || typeof e.path !== 'string') throw new Error(`${modulesFile}: entry ${i} needs "type" and "path"`);
        const load = moduleLoader(e.type);
        if (!load) throw new Error(`${modulesFile}: module ${i} has type '${e.type}', which sentence-tfjs cannot load (supported: ${SUPPORTED_MODULE_TYPES.join(', ')})`);
        modules.push(await load(join(dir, e.path)));
      }
      return new SentenceTransformer(modules, {
        similarityFnName: config.similarity_fn_name ?? 'cosine',
        prompts: config.prompts ?? {},
        defaultPromptName: config.default_prompt_name ?? null,
      });
    } catch (e) {
      modules.forEach((m) => m.dispose());
      throw e;
    }
  }
}

const SDK_VERSION: string = (require('../package.json') as { version: string }).version;

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
