// The Loss Overview of sentence-transformers as data: every loss's data formats, label type, category and
// "commonly used" flag, in the overview's order (its tables, then the modifiers, then distillation), then
// the newer losses beyond it. Each entry is the `catalogEntry` of the loss's own file, so the data sits
// next to the code it describes; this file only fixes the order.
import type { LossCatalogEntry } from './catalog-types';
import { catalogEntry as adaptiveLayer } from './adaptive-layer-loss';
import { catalogEntry as angle } from './angle-loss';
import { catalogEntry as batchAllTriplet } from './batch-all-triplet-loss';
import { catalogEntry as batchHardSoftMarginTriplet } from './batch-hard-soft-margin-triplet-loss';
import { catalogEntry as batchHardTriplet } from './batch-hard-triplet-loss';
import { catalogEntry as batchSemiHardTriplet } from './batch-semi-hard-triplet-loss';
import { catalogEntry as cachedGistEmbed } from './cached-gist-embed-loss';
import { catalogEntry as cachedMultipleNegativesRanking } from './cached-multiple-negatives-ranking-loss';
import { catalogEntry as cachedMultipleNegativesSymmetricRanking } from './cached-multiple-negatives-symmetric-ranking-loss';
import { catalogEntry as contrastive } from './contrastive-loss';
import { catalogEntry as contrastiveTension } from './contrastive-tension-loss';
import { catalogEntry as contrastiveTensionInBatchNegatives } from './contrastive-tension-loss-in-batch-negatives';
import { catalogEntry as cosent } from './cosent-loss';
import { catalogEntry as cosineSimilarity } from './cosine-similarity-loss';
import { catalogEntry as denoisingAutoEncoder } from './denoising-auto-encoder-loss';
import { catalogEntry as distillKlDiv } from './distill-kl-div-loss';
import { catalogEntry as embedDistill } from './embed-distill-loss';
import { catalogEntry as gistEmbed } from './gist-embed-loss';
import { catalogEntry as globalOrthogonalRegularization } from './global-orthogonal-regularization-loss';
import { catalogEntry as marginMse } from './margin-mse-loss';
import { catalogEntry as matryoshka } from './matryoshka-loss';
import { catalogEntry as matryoshka2d } from './matryoshka2d-loss';
import { catalogEntry as megaBatchMargin } from './mega-batch-margin-loss';
import { catalogEntry as mse } from './mse-loss';
import { catalogEntry as multipleNegativesRanking } from './multiple-negatives-ranking-loss';
import { catalogEntry as multipleNegativesSymmetricRanking } from './multiple-negatives-symmetric-ranking-loss';
import { catalogEntry as onlineContrastive } from './online-contrastive-loss';
import { catalogEntry as softmax } from './softmax-loss';
import { catalogEntry as triplet } from './triplet-loss';

/** Every loss, in the Loss Overview's order, then the newer ones. */
export const lossCatalog: readonly LossCatalogEntry[] = Object.freeze([
  // single sentences + class
  batchAllTriplet,
  batchHardSoftMarginTriplet,
  batchHardTriplet,
  batchSemiHardTriplet,
  // single sentences, no labels
  contrastiveTension,
  denoisingAutoEncoder,
  // (anchor, anchor) pairs
  contrastiveTensionInBatchNegatives,
  // (sentence_A, sentence_B) pairs + class
  softmax,
  // (anchor, positive) pairs
  cachedMultipleNegativesRanking,
  multipleNegativesRanking,
  multipleNegativesSymmetricRanking,
  megaBatchMargin,
  gistEmbed,
  // (anchor, positive/negative) pairs + 1/0
  contrastive,
  onlineContrastive,
  // (sentence_A, sentence_B) pairs + float similarity score
  cosent,
  angle,
  cosineSimilarity,
  // (anchor, positive, negative) triplets (MNRL, CMNRL and GIST also appear above)
  triplet,
  // loss modifiers
  matryoshka,
  adaptiveLayer,
  matryoshka2d,
  // distillation
  mse,
  marginMse,
  // beyond the overview's tables (newer sentence-transformers)
  cachedMultipleNegativesSymmetricRanking,
  cachedGistEmbed,
  distillKlDiv,
  embedDistill,
  globalOrthogonalRegularization,
]);

/** The catalog entry of a loss by its class name; throws listing the known names. */
export function lossCatalogEntry(name: string): LossCatalogEntry {
  const entry = lossCatalog.find((e) => e.name === name);
  if (!entry) throw new Error(`no loss named '${name}' in the catalog; known: ${lossCatalog.map((e) => e.name).join(', ')}`);
  return entry;
}

