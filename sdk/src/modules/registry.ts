// modules.json names a class per module; this maps every spelling sentence-transformers has used
// (sentence_transformers.models.X, sentence_transformers.sentence_transformer.modules.X, ...) to a loader.
import type { EmbeddingModule } from './module';
import { Dense } from './dense';
import { Normalize } from './normalize';
import { Pooling } from './pooling';
import { StaticEmbedding } from './static-embedding';
import { Transformer } from './transformer/transformer';

const LOADERS: Record<string, (dir: string) => Promise<EmbeddingModule>> = {
  transformer: (d) => Transformer.load(d),
  staticembedding: (d) => StaticEmbedding.load(d),
  pooling: (d) => Pooling.load(d),
  dense: (d) => Dense.load(d),
  normalize: async () => new Normalize(),
};

export function moduleLoader(type: string): ((dir: string) => Promise<EmbeddingModule>) | undefined {
  const className = type.split('.').pop()!.replace(/_/g, '').toLowerCase();
  return LOADERS[className];
}

export const SUPPORTED_MODULE_TYPES = ['Transformer', 'StaticEmbedding', 'Pooling', 'Dense', 'Normalize'] as const;
