// Matryoshka2dLoss (2D Matryoshka Sentence Embeddings): AdaptiveLayerLoss around MatryoshkaLoss around
// the wrapped loss, so the model works with fewer layers AND fewer dimensions.
//
//   Matryoshka2dLoss(inner) = AdaptiveLayerLoss( MatryoshkaLoss(inner, matryoshkaDims, matryoshkaWeights, nDimsPerStep), ... )
//
// Each inner call (final layer, then every selected layer) draws its own dims anew, so with one shared
// `rng` the draws come in this order: dims for the final layer, the layer draw, then dims for each
// selected layer. The KL terms use the raw (untruncated, unnormalised) embeddings.
//
// Arguments (defaults = sentence-transformers v6): matryoshkaDims (required), matryoshkaWeights (all 1),
// nLayersPerStep 1, nDimsPerStep 1 (one random dim per pass, unlike MatryoshkaLoss's -1),
// lastLayerWeight 1, priorLayersWeight 1, klDivWeight 1, klTemperature 0.3, layerWeighting 'uniform',
// rng (default Rng(42) per loss instance). Functional form: embeddings laid out `[c·L + l]`, `numLayers` = L.
//
// | texts | labels |
// | any   | any    |   (whatever the wrapped loss expects)
//
// Needs a model whose first module is a Transformer. Sampler: that of the wrapped loss.
// Related: MatryoshkaLoss (dims only), AdaptiveLayerLoss (layers only).
// Paper: Li et al. 2024, "2D Matryoshka Sentence Embeddings", https://arxiv.org/abs/2402.14776
import type * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { Rng } from '../util/random';
import { AdaptiveLayerLoss, adaptiveLayerLoss, type AdaptiveLayerLossOptions } from './adaptive-layer-loss';
import { modifierCatalogEntry, type LossCatalogEntry } from './catalog-types';
import type { SentenceLoss } from './loss';
import { MatryoshkaLoss, matryoshkaLoss, type MatryoshkaLossOptions } from './matryoshka-loss';
import { defaultModifierRng } from './sample-indices';

export type Matryoshka2dLossOptions = AdaptiveLayerLossOptions & Omit<MatryoshkaLossOptions, 'innerLoss' | 'rng'>;

/** Matryoshka's dim settings with Matryoshka2d's default of one dim per pass. */
function matryoshkaSettings(options: Omit<Matryoshka2dLossOptions, 'innerLoss' | 'numLayers'>): Omit<MatryoshkaLossOptions, 'innerLoss' | 'rng'> {
  return { matryoshkaDims: options.matryoshkaDims, matryoshkaWeights: options.matryoshkaWeights, nDimsPerStep: options.nDimsPerStep ?? 1 };
}

export function matryoshka2dLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: Matryoshka2dLossOptions): tf.Scalar {
  const rng = options.rng ?? defaultModifierRng;
  const dims = matryoshkaSettings(options);
  const inner = options.innerLoss;
  return adaptiveLayerLoss(embeddings, labels, { ...options, rng, innerLoss: (e, l) => matryoshkaLoss(e, l, { ...dims, innerLoss: inner, rng }) }, 'Matryoshka2dLoss');
}

export class Matryoshka2dLoss extends AdaptiveLayerLoss {
  override readonly name: string = 'Matryoshka2dLoss';

  /** `loss` is the wrapped loss; it is wrapped in a MatryoshkaLoss sharing this loss's `rng`. */
  constructor(model: SentenceTransformer, loss: SentenceLoss, options: Omit<Matryoshka2dLossOptions, 'innerLoss' | 'numLayers'>) {
    const rng = options.rng ?? new Rng(42);
    super(model, new MatryoshkaLoss(model, loss, { ...matryoshkaSettings(options), rng }), { ...options, rng });
  }

  /** The MatryoshkaLoss this loss wraps around the given loss. */
  get matryoshkaLoss(): MatryoshkaLoss {
    return this.loss as MatryoshkaLoss;
  }
}

export const catalogEntry: LossCatalogEntry = modifierCatalogEntry(
  'Matryoshka2dLoss',
  'MatryoshkaLoss and AdaptiveLayerLoss together: embeddings that stay good with fewer dimensions and fewer layers.',
);
