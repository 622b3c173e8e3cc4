// MarginMSELoss: the student's score margin between the positive and each negative should equal the teacher's:
//   m_ik = sim(q_i, p_i) − sim(q_i, n_ik),   loss = mean over B·K of (m_ik − label_ik)²
// Labels are teacher margins [B] (one negative) or [B, K], or raw teacher scores [B, K + 1] = [pos, neg_1..]
// turned into margins label[:, 0] − label[:, k]. Labels carry no gradient.
//
// Arguments (defaults = sentence-transformers v6): similarityFct 'pairwise_dot_score' (not cosine!; any pairwise
// similarity name).
//
// | texts                                           | labels                                              |
// | (query, passage_one, passage_two)               | gold_sim(q, p1) − gold_sim(q, p2)                   |
// | (query, positive, negative_1, ..., negative_K)  | [B, K] margins or [B, K + 1] teacher scores         |
//
// Sampler: default. Related: DistillKLDivLoss (distils the teacher's score distribution), MSELoss (embeddings).
// Paper: Hofstätter et al. 2020, Improving Efficient Neural Ranking Models with Cross-Architecture Knowledge
// Distillation, https://arxiv.org/abs/2010.02666
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { stopGradient } from '../util/stop-gradient';
import type { LossCatalogEntry } from './catalog-types';
import { FunctionalCoreLoss } from './functional-core-loss';
import { getPairwiseSimilarity, type PairwiseSimilarityName } from './similarity';
import { checkColumns, requireLabels, type ColumnExpectation } from './validate';

export interface MarginMSELossOptions {
  /** Default 'pairwise_dot_score'. */
  similarityFct?: PairwiseSimilarityName;
}

const NAME = 'MarginMSELoss';
const COLUMNS: ColumnExpectation = { min: 3, max: null, format: '(query, positive, negative_1, ..., negative_n) tuples' };

function resolveOptions(options: MarginMSELossOptions): Required<MarginMSELossOptions> {
  const similarityFct = options.similarityFct ?? 'pairwise_dot_score';
  getPairwiseSimilarity(similarityFct, NAME);
  return { similarityFct };
}

/** Teacher margins [B, K] from labels [B], [B, K] or [B, K + 1]; errors name the accepted shapes. */
function teacherMargins(labels: tf.Tensor | undefined, rows: number, negatives: number): tf.Tensor2D {
  const what = `teacher margins [${rows}]${negatives === 1 ? '' : ` (one negative only)`} or [${rows}, ${negatives}], or teacher scores [${rows}, ${negatives + 1}] (positive first)`;
  const y = requireLabels(NAME, labels, what);
  const [b, k] = [y.shape[0], y.shape[1]];
  const ok = b === rows && ((y.rank === 1 && negatives === 1) || (y.rank === 2 && (k === negatives || k === negatives + 1)));
  if (!ok) throw new Error(`${NAME} expects labels = ${what} for ${negatives} negative column${negatives === 1 ? '' : 's'}; got shape [${y.shape.join(', ')}]`);
  return tf.tidy(() => {
    const t = tf.cast(y.rank === 1 ? tf.expandDims(y, 1) : y, 'float32') as tf.Tensor2D;
    if (t.shape[1] === negatives) return t;
    return tf.sub(tf.slice(t, [0, 0], [-1, 1]), tf.slice(t, [0, 1], [-1, -1])) as tf.Tensor2D; // scores → margins
  });
}

/** MarginMSELoss on embeddings [query, positive, negative_1..negative_K] (each [B, d]) and teacher margins or scores. */
export function marginMseLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: MarginMSELossOptions = {}): tf.Scalar {
  const { similarityFct } = resolveOptions(options);
  checkColumns(NAME, embeddings, COLUMNS);
  const [query, positive, ...negatives] = embeddings;
  const margins = teacherMargins(labels, query.shape[0], negatives.length);
  const sim = getPairwiseSimilarity(similarityFct, NAME);
  return tf.tidy(() => {
    const positiveScores = sim(query, positive);
    const studentMargins = tf.stack(negatives.map((n) => tf.sub(positiveScores, sim(query, n))), 1);
    const loss = tf.mean(tf.square(tf.sub(studentMargins, stopGradient(margins)))) as tf.Scalar;
    margins.dispose();
    return loss;
  });
}

export class MarginMSELoss extends FunctionalCoreLoss<Required<MarginMSELossOptions>> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: MarginMSELossOptions = {}) {
    super(model, resolveOptions(options), COLUMNS, marginMseLoss);
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'distillation',
  formats: [{ texts: 'query-passage-passage', labels: 'margin' }],
  commonlyUsed: false,
  inOverview: true,
  recommendedSampler: 'batch_sampler',
  columns: { min: 3, max: null },
  summary: "Matches the student's score margin sim(q, p) − sim(q, n) to a teacher's (e.g. a cross-encoder's); distillation for retrieval.",
};
