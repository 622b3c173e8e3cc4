// The class side of a loss that is just its functional core with fixed options: the text-column check on the
// batch (before any embedding work), then core(embeddings, labels, options). Losses that own weights or need
// extra towers (SoftmaxLoss, EmbedDistillLoss, GIST, ...) extend SentenceLoss themselves.
import type * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { SentenceLoss, type Batch } from './loss';
import { checkBatchColumns, type ColumnExpectation } from './validate';

export type FunctionalCore<Options> = (embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: Options) => tf.Scalar;

export abstract class FunctionalCoreLoss<Options> extends SentenceLoss {
  constructor(
    model: SentenceTransformer,
    /** The resolved options (defaults filled in) the core is called with. */
    readonly options: Options,
    private readonly columns: ColumnExpectation,
    private readonly core: FunctionalCore<Options>,
  ) {
    super(model);
  }

  computeFromEmbeddings(embeddings: tf.Tensor2D[], labels?: tf.Tensor): tf.Scalar {
    return this.core(embeddings, labels, this.options);
  }

  override embedColumns(batch: Batch): tf.Tensor2D[] {
    checkBatchColumns(this.name, batch, this.columns);
    return super.embedColumns(batch);
  }
}
