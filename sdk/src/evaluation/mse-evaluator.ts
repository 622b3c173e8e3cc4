// MSEEvaluator (sentence-transformers): how close the student's embeddings of targetSentences are to a
// teacher's embeddings of sourceSentences (knowledge distillation, multilingual training):
//   negative_mse = -100 * mean((teacher(source) - student(target))^2)
// negated so that higher is better, as for every other evaluator. Primary: negative_mse.
// The teacher is encoded once, at the first evaluation; or pass its embeddings directly.
import * as tf from '@tensorflow/tfjs';
import type { SentenceTransformer } from '../sentence-transformer';
import { checkLengths, checkTexts } from './columns';
import { encodeToTensor, type EncodeSettings } from '../util/embeddings-input';
import { SentenceEvaluator, type EvaluationResult } from './evaluator';

export interface MSEEvaluatorOptions extends EncodeSettings {
  /** Texts the student encodes (e.g. translations). */
  targetSentences: readonly string[];
  /** Texts the teacher encodes (e.g. English originals); with teacherModel. */
  sourceSentences?: readonly string[];
  teacherModel?: Pick<SentenceTransformer, 'encode'>;
  /** Teacher embeddings of the source sentences, instead of sourceSentences + teacherModel. */
  teacherEmbeddings?: readonly (readonly number[])[] | readonly Float32Array[];
  /** Metric prefix. Default ''. */
  name?: string;
}

const NAME = 'MSEEvaluator';

export class MSEEvaluator extends SentenceEvaluator {
  readonly name: string;
  readonly targetSentences: string[];
  private readonly options: MSEEvaluatorOptions;
  private teacher?: { flat: Float32Array; dim: number };

  constructor(options: MSEEvaluatorOptions) {
    super();
    this.targetSentences = checkTexts(NAME, 'targetSentences', options.targetSentences);
    if (options.teacherEmbeddings) {
      const rows = options.teacherEmbeddings;
      checkLengths(NAME, { targetSentences: this.targetSentences, teacherEmbeddings: rows });
      const dim = rows[0].length;
      const flat = new Float32Array(rows.length * dim);
      rows.forEach((r, i) => {
        if (r.length !== dim) throw new Error(`${NAME}: teacherEmbeddings row ${i} has ${r.length} values; row 0 has ${dim}`);
        flat.set(r, i * dim);
      });
      this.teacher = { flat, dim };
    } else if (options.sourceSentences && options.teacherModel) {
      checkLengths(NAME, { targetSentences: this.targetSentences, sourceSentences: checkTexts(NAME, 'sourceSentences', options.sourceSentences) });
    } else {
      throw new Error(`${NAME} needs teacherEmbeddings, or sourceSentences with a teacherModel`);
    }
    this.name = options.name ?? '';
    this.options = options;
  }

  private async teacherEmbeddings(): Promise<{ flat: Float32Array; dim: number }> {
    if (!this.teacher) {
      // The teacher keeps its full dimension: truncateDim applies to the student.
      const t = await encodeToTensor(this.options.teacherModel!, this.options.sourceSentences!, { ...this.options, truncateDim: undefined });
      this.teacher = { flat: (await t.data()) as Float32Array, dim: t.shape[1] };
      t.dispose();
    }
    return this.teacher;
  }

  async evaluate(model: SentenceTransformer): Promise<EvaluationResult> {
    const teacher = await this.teacherEmbeddings();
    const student = await encodeToTensor(model, this.targetSentences, this.options);
    try {
      if (student.shape[1] !== teacher.dim) {
        throw new Error(`${NAME}: the student's embeddings have dimension ${student.shape[1]} but the teacher's have ${teacher.dim}`);
      }
      const mse = tf.tidy(() => tf.mean(tf.squaredDifference(student, tf.tensor2d(teacher.flat, student.shape))));
      const value = (await mse.data())[0];
      mse.dispose();
      return this.result({ negative_mse: -value * 100 }, 'negative_mse');
    } finally {
      student.dispose();
    }
  }
}
