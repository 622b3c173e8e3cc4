// DistillKLDivLoss: the student's score distribution over the candidates of each query should match the
// teacher's. With student scores s_ij = sim(q_i, c_ij) over candidates (positive, negative_1, ...) and teacher
// scores t_ij (the labels):
//   loss = T_s² · (1/B) Σ_i KL( softmax(t_i / T_t) ‖ softmax(s_i / T_s) )        ("batchmean")
//
// Arguments (defaults = sentence-transformers v6): similarityFct 'pairwise_dot_score', temperature 1;
// studentTemperature and teacherTemperature default to temperature.
//
// | texts                                           | labels                               |
// | (query, positive, negative_1, ..., negative_n)  | teacher scores [B, n_candidates]     |
//
// Sampler: default. Related: MarginMSELoss (distils margins), MultipleNegativesRankingLoss (no teacher).
// Paper: Lin et al. 2020, Distilling Dense Representations for Ranking using Tightly-Coupled Teachers,
// https://arxiv.org/abs/2010.11386
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import type { LossCatalogEntry } from './catalog-types';
import { FunctionalCoreLoss } from './functional-core-loss';
import { getPairwiseSimilarity, type PairwiseSimilarityName } from './similarity';
import { checkColumns, requireLabels, type ColumnExpectation } from './validate';

export interface DistillKLDivLossOptions {
  /** Default 'pairwise_dot_score'. */
  similarityFct?: PairwiseSimilarityName;
  /** Default 1. */
  temperature?: number;
  /** Default: temperature. */
  studentTemperature?: number | null;
  /** Default: temperature. */
  teacherTemperature?: number | null;
}

export interface ResolvedDistillKLDivOptions {
  similarityFct: PairwiseSimilarityName;
  studentTemperature: number;
  teacherTemperature: number;
}

const NAME = 'DistillKLDivLoss';
const COLUMNS: ColumnExpectation = { min: 3, max: null, format: '(query, positive, negative_1, ..., negative_n) tuples' };

function resolveOptions(options: DistillKLDivLossOptions): ResolvedDistillKLDivOptions {
  const similarityFct = options.similarityFct ?? 'pairwise_dot_score';
  getPairwiseSimilarity(similarityFct, NAME);
  const temperature = options.temperature ?? 1;
  // The reference uses `student_temperature or temperature`: null and 0 both mean "use temperature".
  const resolved = { similarityFct, studentTemperature: options.studentTemperature || temperature, teacherTemperature: options.teacherTemperature || temperature };
  for (const [key, value] of Object.entries({ temperature, studentTemperature: resolved.studentTemperature, teacherTemperature: resolved.teacherTemperature })) {
    if (!(value > 0) || !Number.isFinite(value)) throw new Error(`${NAME}: ${key} must be a positive number; got ${value}`);
  }
  return resolved;
}

/** DistillKLDivLoss on embeddings [query, positive, negative_1..] (each [B, d]) and teacher scores [B, n_candidates]. */
export function distillKlDivLoss(embeddings: tf.Tensor2D[], labels: tf.Tensor | undefined, options: DistillKLDivLossOptions = {}): tf.Scalar {
  const { similarityFct, studentTemperature, teacherTemperature } = resolveOptions(options);
  checkColumns(NAME, embeddings, COLUMNS);
  const [query, ...candidates] = embeddings;
  const rows = query.shape[0];
  const what = `teacher scores [${rows}, ${candidates.length}], one per candidate column (positive, negatives)`;
  const y = requireLabels(NAME, labels, what);
  if (y.rank !== 2 || y.shape[0] !== rows || y.shape[1] !== candidates.length) throw new Error(`${NAME} expects labels = ${what}; got shape [${y.shape.join(', ')}]`);
  const sim = getPairwiseSimilarity(similarityFct, NAME);
  return tf.tidy(() => {
    const student = tf.div(tf.stack(candidates.map((c) => sim(query, c)), 1), studentTemperature);
    const teacherLogP = tf.logSoftmax(tf.div(tf.cast(y, 'float32'), teacherTemperature));
    // Σ p (log p − log q): log p from logSoftmax stays finite, so no 0 · log 0.
    const kl = tf.sum(tf.mul(tf.exp(teacherLogP), tf.sub(teacherLogP, tf.logSoftmax(student))));
    return tf.mul(tf.div(kl, rows), studentTemperature ** 2) as tf.Scalar;
  });
}

export class DistillKLDivLoss extends FunctionalCoreLoss<ResolvedDistillKLDivOptions> {
  readonly name: string = NAME;

  constructor(model: SentenceTransformer, options: DistillKLDivLossOptions = {}) {
    super(model, resolveOptions(options), COLUMNS, distillKlDivLoss);
  }
}

export const catalogEntry: LossCatalogEntry = {
  name: NAME,
  category: 'distillation',
  formats: [{ texts: 'query-passage-passage', labels: 'scores' }],
  commonlyUsed: false,
  inOverview: false,
  recommendedSampler: 'batch_sampler',
  columns: { min: 3, max: null },
  summary: "Matches the student's softmax over each query's candidates to the teacher's score distribution (KL divergence); distillation for retrieval.",
};
