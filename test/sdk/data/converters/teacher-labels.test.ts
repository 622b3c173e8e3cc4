import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../../sdk/src/backend';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { addTeacherEmbeddings } from '../../../../sdk/src/data/converters/teacher-embeddings';
import { addTeacherMargins } from '../../../../sdk/src/data/converters/teacher-margins';
import { cosDeg, geometryModel, vectorOf } from './geometry-model';

const ANGLES = { qa: 0, pa: 10, na: 20, nb: 45, hello: 100, hallo: 30 };
const close = (a: number[], b: number[]) => a.every((v, i) => Math.abs(v - b[i]) < 1e-6);

test('addTeacherEmbeddings: the teacher embedding of one column as every row\'s label vector', async () => {
  await ready();
  const teacher = geometryModel(ANGLES);
  const before = tf.memory().numTensors;
  const ds = Dataset.fromColumns({ english: ['hello', 'qa'], non_english: ['hallo', 'na'], lang: ['de', 'fr'] });
  const labelled = await addTeacherEmbeddings(ds.select(['english', 'non_english']), teacher, 'english');
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(labelled.columnNames, ['english', 'non_english', 'label']);
  assert.equal(labelled.labelColumn, 'label');
  const labels = labelled.vectors('label');
  assert.ok(close(labels[0], vectorOf(100)) && close(labels[1], vectorOf(0)), JSON.stringify(labels));
  const batch = labelled.toBatch([0, 1]);
  assert.deepEqual(batch.labels?.shape, [2, 2]);
  batch.labels?.dispose();
  const second = await addTeacherEmbeddings(ds, teacher, 'non_english', { labelName: 'teacher' });
  assert.ok(close(second.vectors('teacher')[0], vectorOf(30)));
  await assert.rejects(addTeacherEmbeddings(ds, teacher, 'nope'), /addTeacherEmbeddings: no column 'nope'/);
});

test('addTeacherMargins: sim(q, p) − sim(q, n_k); a number for triplets, a vector for K negatives', async () => {
  const teacher = geometryModel(ANGLES);
  const before = tf.memory().numTensors;
  const triplets = Dataset.fromColumns({ query: ['qa', 'hello'], positive: ['pa', 'hallo'], negative: ['nb', 'qa'] });
  const t = await addTeacherMargins(triplets, teacher);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(t.labelColumn, 'label');
  const m = t.numbers('label');
  assert.ok(close(m, [cosDeg(0, 10) - cosDeg(0, 45), cosDeg(100, 30) - cosDeg(100, 0)]), JSON.stringify(m));

  const tuples = Dataset.fromColumns({ q: ['qa'], p: ['pa'], n1: ['na'], n2: ['nb'] });
  const k = await addTeacherMargins(tuples, teacher, { similarityFct: 'pairwise_cos_sim' });
  assert.ok(close(k.vectors('label')[0], [cosDeg(0, 10) - cosDeg(0, 20), cosDeg(0, 10) - cosDeg(0, 45)]));
  const replaced = await addTeacherMargins(triplets.withLabel('score', [1, 2]), teacher);
  assert.deepEqual(replaced.columnNames, ['query', 'positive', 'negative', 'label']);

  await assert.rejects(addTeacherMargins(Dataset.fromColumns({ q: ['qa'], p: ['pa'] }), teacher), /addTeacherMargins needs \(query, positive, negative_1, \.\.\.\) text columns; the dataset has 2 \(q, p\)/);
  await assert.rejects(
    addTeacherMargins(triplets, teacher, { similarityFct: 'cos_sim' as 'pairwise_cos_sim' }),
    /addTeacherMargins: similarityFct 'cos_sim' is not one of pairwise_cos_sim/,
  );
});
