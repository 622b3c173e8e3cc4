import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../sdk/src/backend';
import { MSEEvaluator } from '../../../sdk/src/evaluation/mse-evaluator';
import { meanSquaredError } from '../../../sdk/src/evaluation/stats';
import type { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { assertClose, fixture } from './fixture';
import { SENTENCES, tinyModel } from './tiny-model';

describe('MSEEvaluator', () => {
  let student: SentenceTransformer;
  let teacher: SentenceTransformer;
  before(async () => {
    await ready();
    student = tinyModel('cosine', 3);
    teacher = tinyModel('cosine', 4);
  });
  after(() => {
    student.dispose();
    teacher.dispose();
  });

  it('negative_mse = -100 * mean squared difference (numpy fixture)', () => {
    const { a, b, negative_mse } = fixture.mse;
    assertClose(-100 * meanSquaredError(a.flat(), b.flat()), negative_mse, 'negative_mse');
  });

  it('student vs teacher model: the value from encode, 0 against itself', async () => {
    const source = SENTENCES.slice(0, 4);
    const target = SENTENCES.slice(4, 8);
    const ev = new MSEEvaluator({ sourceSentences: source, targetSentences: target, teacherModel: teacher, name: 'en-de' });
    const n = tf.memory().numTensors;
    const r = await ev.evaluate(student);
    assert.equal(tf.memory().numTensors, n);
    assert.equal(r.primaryMetric, 'en-de_negative_mse');
    const expected = -100 * meanSquaredError((await teacher.encode(source)).flat(), (await student.encode(target)).flat());
    assertClose(r.metrics['en-de_negative_mse'], expected, 'negative_mse', 1e-4);
    const self = new MSEEvaluator({ targetSentences: target, teacherEmbeddings: await student.encode(target) });
    assert.equal((await self.evaluate(student)).metrics.negative_mse, -0);
  });

  it('names a dimension mismatch and missing teacher', async () => {
    const ev = new MSEEvaluator({ targetSentences: ['a'], teacherEmbeddings: [[1, 2, 3]] });
    await assert.rejects(ev.evaluate(student), /MSEEvaluator: the student's embeddings have dimension 16 but the teacher's have 3/);
    assert.throws(() => new MSEEvaluator({ targetSentences: ['a'] }), /MSEEvaluator needs teacherEmbeddings, or sourceSentences with a teacherModel/);
  });
});
