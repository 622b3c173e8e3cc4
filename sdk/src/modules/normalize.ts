// Normalize (sentence-transformers' models.Normalize): L2-normalises the sentence embedding
// (F.normalize, eps 1e-12). No parameters; saved as an empty folder.
import * as tf from '@tensorflow/tfjs';
import type { EmbeddingModule, Features, ForwardOptions } from './module';

export class Normalize implements EmbeddingModule {
  readonly type = 'sentence_transformers.models.Normalize';

  forward(features: Features, _options: ForwardOptions): Features {
    const x = features.sentenceEmbedding;
    if (!x) throw new Error('Normalize needs a sentence embedding: put Pooling (or StaticEmbedding) before it');
    const sentenceEmbedding = tf.tidy(() => tf.div(x, tf.maximum(tf.norm(x, 2, 1, true), 1e-12)) as tf.Tensor2D);
    return { ...features, sentenceEmbedding };
  }

  trainableWeights(): tf.Variable[] {
    return [];
  }

  async save(_dir: string): Promise<void> {}

  describe(): string {
    return 'Normalize()';
  }

  clone(): Normalize {
    return new Normalize();
  }

  dispose(): void {}
}
