// AdaptiveLayerLoss: a modifier that also trains the earlier layers of the Transformer, so the model can
// be cut to fewer layers for faster inference. Each hidden state (embedding output = layer 0, ..., final =
// layer L−1) is pooled by the rest of the model into a sentence embedding E^l.
//
//   loss = last_layer_weight · inner(E^{L−1})
//        + Σ_{l ∈ S} [ inner(E^l) · w(l) / |S| · prior_layers_weight
//                      + KL(P ‖ softmax(E^l / T)) · T · kl_div_weight ]      (KL terms only if T > 0)
//   P = sg(softmax(E^{L−1} / T))  row-wise over the embedding dimension, no gradient (reference ≥ v5.7)
//
// The KL rows are every column's rows stacked (B·C rows); KL is summed over dimensions and divided by the
// row count ("batchmean"). S = all of 0..L−2, or nLayersPerStep of them drawn with `rng` when
// 0 < nLayersPerStep < L−1. w(l): 'uniform' 1, 'log' 1/(1 + ln(1 + l)), 'linear' 1/(1 + l), or a function.
//
// Arguments (defaults = sentence-transformers v6): nLayersPerStep 1, lastLayerWeight 1, priorLayersWeight 1,
// klDivWeight 1, klTemperature 0.3, layerWeighting 'uniform', rng (default Rng(42) per loss instance).
// Functional form: `embeddings[c·L + l]` is column c at layer l, with `numLayers` = L.
//
// | texts | labels |
// | any   | any    |   (whatever the wrapped loss expects)
//
// Needs a model whose first module is a Transformer. Sampler: that of the wrapped loss.
// A gradient-cached inner loss (GradCache) is computed end to end here, without its memory saving (the
// reference warns that the two are incompatible).
// Related: MatryoshkaLoss (fewer dims instead of fewer layers), Matryoshka2dLoss (both).
// Paper: Li et al. 2024, "2D Matryoshka Sentence Embeddings", https://arxiv.org/abs/2402.14776
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { Rng } from '../util/random';
import { stopGradient } from '../util/stop-gradient';
import { modifierCatalogEntry, type LossCatalogEntry } from './catalog-types';
import { SentenceLoss, type Batch } from './loss';
import { defaultModifierRng, selectIndices, type IndexRandomSource } from './sample-indices';
import { forwardOnEmbeddings, modifierWarning, usesGradientCache, type EmbeddingLossFn } from './wrapped-loss';

export type LayerWeighting = 'uniform' | 'log' | 'linear' | ((layerIndex: number) => number);

export interface AdaptiveLayerLossOptions {
  /** The wrapped loss as a function of one layer's column embeddings. */
  innerLoss: EmbeddingLossFn;
  /** L: hidden states per column in `embeddings` (embedding output + every Transformer layer). */
  numLayers: number;
  /** Prior layers per step: ≤ 0 or ≥ L−1 = all of them; default 1. */
  nLayersPerStep?: number;
  lastLayerWeight?: number;
  priorLayersWeight?: number;
  klDivWeight?: number;
  /** 0 turns the KL terms off; default 0.3. */
  klTemperature?: number;
  layerWeighting?: LayerWeighting;
  /** Source of the layer draws; default a shared seeded Rng. */
  rng?: IndexRandomSource;
}

/** The options of the class (and of Matryoshka2dLoss): everything but the inner function and L. */
export type AdaptiveLayerSettings = Omit<AdaptiveLayerLossOptions, 'innerLoss' | 'numLayers'>;

type ResolvedAdaptiveLayer = Required<Omit<AdaptiveLayerSettings, 'rng'>>;

export function resolveAdaptiveLayerOptions(options: AdaptiveLayerSettings, lossName = 'AdaptiveLayerLoss'): ResolvedAdaptiveLayer {
  const r: ResolvedAdaptiveLayer = {
    nLayersPerStep: options.nLayersPerStep ?? 1,
    lastLayerWeight: options.lastLayerWeight ?? 1,
    priorLayersWeight: options.priorLayersWeight ?? 1,
    klDivWeight: options.klDivWeight ?? 1,
    klTemperature: options.klTemperature ?? 0.3,
    layerWeighting: options.layerWeighting ?? 'uniform',
  };
  if (!Number.isInteger(r.nLayersPerStep)) throw new Error(`${lossName}: nLayersPerStep must be an integer (≤ 0 = all layers); got ${r.nLayersPerStep}`);
  for (const key of ['lastLayerWeight', 'priorLayersWeight', 'klDivWeight'] as const) {
    if (typeof r[key] !== 'number' || !Number.isFinite(r[key])) throw new Error(`${lossName}: ${key} must be a finite number; got ${r[key]}`);
  }
  if (!(r.klTemperature >= 0) || !Number.isFinite(r.klTemperature)) {
    throw new Error(`${lossName}: klTemperature must be a finite number ≥ 0 (0 = no KL term); got ${r.klTemperature}`);
  }
  const w = r.layerWeighting;
  if (typeof w !== 'function' && w !== 'uniform' && w !== 'log' && w !== 'linear') {
    throw new Error(`${lossName}: layerWeighting must be 'uniform', 'log', 'linear' or a function of the layer index; got '${String(w)}'`);
  }
  return r;
}

/** The weight of prior layer l. */
export function layerWeight(weighting: LayerWeighting, layerIndex: number, lossName = 'AdaptiveLayerLoss'): number {
  if (typeof weighting === 'function') {
    const w = weighting(layerIndex);
    if (typeof w !== 'number' || !Number.isFinite(w)) throw new Error(`${lossName}: layerWeighting(${layerIndex}) must return a finite number; got ${w}`);
    return w;
  }
  if (weighting === 'log') return 1 / (1 + Math.log(1 + layerIndex));
  if (weighting === 'linear') return 1 / (1 + layerIndex);
  return 1;
}

/** The loss over per-layer embeddings laid out `embeddings[c·L + l]` (column c, layer l; l = L−1 is final). */
export function adaptiveLayerLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: AdaptiveLayerLossOptions, lossName = 'AdaptiveLayerLoss'): tf.Scalar {
  const r = resolveAdaptiveLayerOptions(options, lossName);
  if (typeof options.innerLoss !== 'function') throw new Error(`${lossName}: options.innerLoss must be a function (embeddings, labels) => scalar; got ${typeof options.innerLoss}`);
  const numLayers = options.numLayers;
  if (!Number.isInteger(numLayers) || numLayers < 1) throw new Error(`${lossName}: numLayers must be a positive integer (hidden states per column); got ${numLayers}`);
  if (embeddings.length === 0 || embeddings.length % numLayers !== 0) {
    throw new Error(`${lossName}: expects numLayers (${numLayers}) embeddings per column, laid out embeddings[column·${numLayers} + layer]; got ${embeddings.length} matrices`);
  }
  const numColumns = embeddings.length / numLayers;
  const [rows, dim] = embeddings[0].shape;
  embeddings.forEach((e, i) => {
    if (e.rank !== 2 || e.shape[0] !== rows || e.shape[1] !== dim) {
      throw new Error(`${lossName}: every per-layer embedding must be [${rows}, ${dim}] like column 0 at layer 0; matrix ${i} (column ${Math.floor(i / numLayers)}, layer ${i % numLayers}) has shape [${e.shape}]`);
    }
  });
  const atLayer = (l: number) => Array.from({ length: numColumns }, (_, c) => embeddings[c * numLayers + l]);
  const rng = options.rng ?? defaultModifierRng;
  const T = r.klTemperature;

  return tf.tidy(() => {
    const finalLayer = atLayer(numLayers - 1);
    let loss = tf.mul(options.innerLoss(finalLayer, labels), r.lastLayerWeight) as tf.Scalar;
    // The KL target is a constant: log P = sg(log_softmax(E_final / T)) over all columns' rows stacked.
    const stacked = (es: tf.Tensor2D[]) => (es.length === 1 ? es[0] : (tf.concat(es, 0) as tf.Tensor2D));
    const targetLogP = T > 0 ? stopGradient(tf.logSoftmax(tf.div(stacked(finalLayer), T))) : undefined;
    // Drawn after the final layer's inner loss, as the reference does (Matryoshka2d draws dims there first).
    const selected = selectIndices(rng, numLayers - 1, r.nLayersPerStep, lossName);
    for (const l of selected) {
      const layerLoss = options.innerLoss(atLayer(l), labels);
      loss = tf.add(loss, tf.mul(layerLoss, (layerWeight(r.layerWeighting, l, lossName) / selected.length) * r.priorLayersWeight));
      if (targetLogP) {
        const logQ = tf.logSoftmax(tf.div(stacked(atLayer(l)), T));
        // kl_div(log Q, P, "batchmean") = Σ P·(log P − log Q) / rows
        const kl = tf.div(tf.sum(tf.mul(tf.exp(targetLogP), tf.sub(targetLogP, logQ))), rows * numColumns);
        loss = tf.add(loss, tf.mul(kl, T * r.klDivWeight));
      }
    }
    return loss;
  });
}

export class AdaptiveLayerLoss extends SentenceLoss {
  readonly name: string = 'AdaptiveLayerLoss';
  readonly nLayersPerStep: number;
  readonly lastLayerWeight: number;
  readonly priorLayersWeight: number;
  readonly klDivWeight: number;
  readonly klTemperature: number;
  readonly layerWeighting: LayerWeighting;
  readonly rng: IndexRandomSource;

  /** `loss` is the wrapped loss (built on the same model); `rng` defaults to this loss's own Rng(42). */
  constructor(
    model: SentenceTransformer,
    readonly loss: SentenceLoss,
    options: AdaptiveLayerSettings = {},
  ) {
    super(model);
    const lossName = new.target.name;
    if (!model.transformer) {
      throw new Error(`${lossName} needs a model whose first module is a Transformer (it trains the earlier layers); got ${model.modules[0].describe()}`);
    }
    const r = resolveAdaptiveLayerOptions(options, lossName);
    this.nLayersPerStep = r.nLayersPerStep;
    this.lastLayerWeight = r.lastLayerWeight;
    this.priorLayersWeight = r.priorLayersWeight;
    this.klDivWeight = r.klDivWeight;
    this.klTemperature = r.klTemperature;
    this.layerWeighting = r.layerWeighting;
    this.rng = options.rng ?? new Rng(42);
    if (usesGradientCache(innermost(loss))) {
      modifierWarning(`${lossName} is not compatible with the gradient cache of ${innermost(loss).name}: it is computed end to end, without the memory saving`);
    }
  }

  /** L: the Transformer's hidden states (embedding output + every layer). */
  get numLayers(): number {
    return this.model.transformer!.config.numLayers + 1;
  }

  /** Column c at layer l is `embeddings[c·L + l]`. */
  embedColumnsAllLayers(batch: Batch): tf.Tensor2D[] {
    return batch.columns.flatMap((texts) => this.model.embedAllLayers(texts, { training: true }));
  }

  private options(innerLoss: EmbeddingLossFn): AdaptiveLayerLossOptions {
    return {
      innerLoss,
      numLayers: this.numLayers,
      nLayersPerStep: this.nLayersPerStep,
      lastLayerWeight: this.lastLayerWeight,
      priorLayersWeight: this.priorLayersWeight,
      klDivWeight: this.klDivWeight,
      klTemperature: this.klTemperature,
      layerWeighting: this.layerWeighting,
      rng: this.rng,
    };
  }

  /**
   * Embeds every layer once, then runs the wrapped loss's own forward pass on each layer's embeddings (as the
   * reference's decorators), so a guide model, a second tower or a nested MatryoshkaLoss keep working.
   */
  override forward(batch: Batch): tf.Scalar {
    return tf.tidy(() =>
      adaptiveLayerLoss(this.embedColumnsAllLayers(batch), batch.labels, this.options((e, l) => forwardOnEmbeddings(this.loss, batch, e, l)), this.name),
    );
  }

  /** The objective on per-layer embeddings laid out `[c·L + l]` (as embedColumnsAllLayers returns them). */
  computeFromEmbeddings(embeddings: tf.Tensor2D[], labels?: tf.Tensor): tf.Scalar {
    return adaptiveLayerLoss(embeddings, labels, this.options((e, l) => this.loss.computeFromEmbeddings(e, l)), this.name);
  }

  /** The model's weights plus any the wrapped loss owns. */
  override trainableWeights(): tf.Variable[] {
    return this.loss.trainableWeights();
  }

  /** Frees what the wrapped loss owns. */
  override dispose(): void {
    this.loss.dispose();
  }
}

/** The loss at the bottom of a chain of modifiers (Matryoshka2d wraps a MatryoshkaLoss). */
function innermost(loss: SentenceLoss): SentenceLoss {
  const inner = (loss as { loss?: unknown }).loss;
  return inner instanceof SentenceLoss ? innermost(inner) : loss;
}

export const catalogEntry: LossCatalogEntry = modifierCatalogEntry(
  'AdaptiveLayerLoss',
  'Wraps any loss and also applies it to the earlier Transformer layers (with a KL term towards the last layer), so layers can be removed for faster inference.',
);
