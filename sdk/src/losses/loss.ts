// The base every loss class extends: it receives a batch of named text columns (and labels), asks the
// model for embeddings, and calls its functional core. Losses that manage their own backward pass
// (GradCache) override lossAndGradients; losses with several towers or extra inputs override forward.
import * as tf from '@tensorflow/tfjs';
import { leanVariableGrads } from '../backend/lean-gradients';
import type { SentenceTransformer } from '../sentence-transformer';

/** One batch as the trainer hands it to a loss: the dataset's text columns in order, and labels. */
export interface Batch {
  /** Text columns in dataset order; every column has the same length B. */
  columns: string[][];
  /** The columns' names, for error messages. */
  columnNames: string[];
  /** Labels as a float32 tensor: [B] for scores / classes / margins, [B, d] or [B, k] for teacher outputs. */
  labels?: tf.Tensor;
}

export interface LossValueAndGradients {
  value: tf.Scalar;
  /** Gradients by variable name (tf.Variable.name). */
  grads: tf.NamedTensorMap;
}

export abstract class SentenceLoss {
  /** The sentence-transformers class name, e.g. 'MultipleNegativesRankingLoss'. */
  abstract readonly name: string;

  constructor(readonly model: SentenceTransformer) {}

  /**
   * The loss from embeddings already computed, one [B, d] matrix per text column in order: the functional
   * core with this loss's options. Modifiers (Matryoshka, AdaptiveLayer) call it on truncated or per-layer embeddings.
   */
  abstract computeFromEmbeddings(embeddings: tf.Tensor2D[], labels?: tf.Tensor): tf.Scalar;

  /** Embeds every text column with the model (training mode). */
  embedColumns(batch: Batch): tf.Tensor2D[] {
    return batch.columns.map((texts) => this.model.embed(texts, { training: true }));
  }

  /** The loss on one batch, differentiable w.r.t. trainableWeights(). */
  forward(batch: Batch): tf.Scalar {
    return this.computeFromEmbeddings(this.embedColumns(batch), batch.labels);
  }

  /** Loss value and gradients for the optimizer. Frozen models (guides, teachers) never get gradients. */
  lossAndGradients(batch: Batch, variables: tf.Variable[] = this.trainableWeights()): LossValueAndGradients {
    // Same gradients as tf.variableGrads, about half the backward pass's memory peak (backend/lean-gradients.ts).
    return leanVariableGrads(() => this.forward(batch), variables);
  }

  /** The model's weights plus any the loss owns (a classifier head, a decoder, a logit scale). */
  trainableWeights(): tf.Variable[] {
    return this.model.trainableWeights();
  }

  /** Frees weights the loss owns; never the model's. */
  dispose(): void {}
}
