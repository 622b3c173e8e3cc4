// Dense (sentence-transformers' models.Dense): a linear layer with an activation on the sentence
// embedding (default tanh). Saved as config.json + model.safetensors with linear.weight [out, in].
import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { readJSON, writeJSON } from '../io/json-files';
import { readSafetensorsFile } from '../io/safetensors';
import { takeTensor, writeWeights } from '../io/weights';
import { Rng } from '../util/random';
import type { EmbeddingModule, Features, ForwardOptions } from './module';

const ACTIVATIONS = {
  'torch.nn.modules.activation.Tanh': (x: tf.Tensor) => tf.tanh(x),
  'torch.nn.modules.linear.Identity': (x: tf.Tensor) => x,
  'torch.nn.modules.activation.ReLU': (x: tf.Tensor) => tf.relu(x),
  'torch.nn.modules.activation.Sigmoid': (x: tf.Tensor) => tf.sigmoid(x),
  'torch.nn.modules.activation.GELU': (x: tf.Tensor) => tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2)))),
} as const;

export type DenseActivation = keyof typeof ACTIVATIONS;
const SHORT: Record<string, DenseActivation> = {
  tanh: 'torch.nn.modules.activation.Tanh',
  identity: 'torch.nn.modules.linear.Identity',
  relu: 'torch.nn.modules.activation.ReLU',
  sigmoid: 'torch.nn.modules.activation.Sigmoid',
  gelu: 'torch.nn.modules.activation.GELU',
};

export interface DenseOptions {
  inFeatures: number;
  outFeatures: number;
  bias?: boolean;
  /** 'tanh' (default), 'identity', 'relu', 'sigmoid', 'gelu' or the torch class path. */
  activation?: DenseActivation | 'tanh' | 'identity' | 'relu' | 'sigmoid' | 'gelu';
  seed?: number;
}

export class Dense implements EmbeddingModule {
  readonly type = 'sentence_transformers.models.Dense';
  readonly kernel: tf.Variable; // [in, out]
  readonly bias: tf.Variable | undefined;
  readonly activation: DenseActivation;

  constructor(
    readonly options: DenseOptions,
    weights?: { weight: tf.Tensor2D; bias?: tf.Tensor1D },
  ) {
    const name = options.activation ?? 'tanh';
    const act = (SHORT[name] ?? name) as DenseActivation;
    if (!(act in ACTIVATIONS)) throw new Error(`Dense: unknown activation '${name}'; use ${Object.keys(SHORT).join(', ')}`);
    this.activation = act;
    const { inFeatures: n, outFeatures: m } = options;
    if (weights) {
      if (weights.weight.shape[0] !== m || weights.weight.shape[1] !== n) {
        throw new Error(`Dense: weight has shape [${weights.weight.shape}], expected [${m}, ${n}]`);
      }
      this.kernel = tf.variable(tf.tidy(() => tf.transpose(weights.weight)));
      this.bias = options.bias === false ? undefined : tf.variable(weights.bias ?? tf.zeros([m]));
    } else {
      // nn.Linear's default: U(-1/sqrt(in), 1/sqrt(in)) for weight and bias.
      const rng = new Rng(options.seed ?? 42);
      const bound = 1 / Math.sqrt(n);
      const u = (k: number) => Float32Array.from({ length: k }, () => (2 * rng.next() - 1) * bound);
      this.kernel = tf.variable(tf.tensor2d(u(n * m), [n, m]));
      this.bias = options.bias === false ? undefined : tf.variable(tf.tensor1d(u(m)));
    }
  }

  static async load(dir: string): Promise<Dense> {
    const file = join(dir, 'config.json');
    const c = await readJSON<{ in_features: number; out_features: number; bias?: boolean; activation_function?: string }>(file, 'Dense config');
    if (typeof c.in_features !== 'number' || typeof c.out_features !== 'number') throw new Error(`${file}: needs in_features and out_features`);
    const wfile = join(dir, 'model.safetensors');
    const { tensors } = await readSafetensorsFile(wfile);
    const weight = takeTensor(tensors, 'linear.weight', [c.out_features, c.in_features], wfile) as tf.Tensor2D;
    const bias = c.bias === false ? undefined : (takeTensor(tensors, 'linear.bias', [c.out_features], wfile) as tf.Tensor1D);
    try {
      return new Dense(
        { inFeatures: c.in_features, outFeatures: c.out_features, bias: c.bias !== false, activation: (c.activation_function ?? 'torch.nn.modules.activation.Tanh') as DenseActivation },
        { weight, bias },
      );
    } finally {
      weight.dispose();
      bias?.dispose();
    }
  }

  forward(features: Features, _options: ForwardOptions): Features {
    const x = features.sentenceEmbedding;
    if (!x) throw new Error('Dense needs a sentence embedding: put Pooling (or StaticEmbedding) before it');
    if (x.shape[1] !== this.options.inFeatures) throw new Error(`Dense expects embeddings of size ${this.options.inFeatures}; got ${x.shape[1]}`);
    const sentenceEmbedding = tf.tidy(() => {
      let y = tf.matMul(x, this.kernel as tf.Tensor2D) as tf.Tensor;
      if (this.bias) y = tf.add(y, this.bias);
      return ACTIVATIONS[this.activation](y) as tf.Tensor2D;
    });
    return { ...features, sentenceEmbedding };
  }

  trainableWeights(): tf.Variable[] {
    return this.bias ? [this.kernel, this.bias] : [this.kernel];
  }

  getSentenceEmbeddingDimension(): number {
    return this.options.outFeatures;
  }

  async save(dir: string): Promise<void> {
    await writeJSON(join(dir, 'config.json'), {
      in_features: this.options.inFeatures,
      out_features: this.options.outFeatures,
      bias: this.bias !== undefined,
      activation_function: this.activation,
    });
    const weight = tf.tidy(() => tf.transpose(this.kernel));
    const named = new Map<string, tf.Tensor>([['linear.weight', weight]]);
    if (this.bias) named.set('linear.bias', this.bias);
    try {
      await writeWeights(join(dir, 'model.safetensors'), named);
    } finally {
      weight.dispose();
    }
  }

  describe(): string {
    return `Dense(${this.options.inFeatures} → ${this.options.outFeatures}, ${this.activation.split('.').pop()})`;
  }

  clone(): Dense {
    const weight = tf.tidy(() => tf.transpose(this.kernel)) as tf.Tensor2D;
    try {
      return new Dense({ ...this.options, activation: this.activation }, { weight, bias: this.bias as tf.Tensor1D | undefined });
    } finally {
      weight.dispose();
    }
  }

  dispose(): void {
    this.kernel.dispose();
    this.bias?.dispose();
  }
}
