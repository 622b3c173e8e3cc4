import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { ready } from '../../../../sdk/src/backend';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { mineHardNegatives, mineHardNegativesWithSummary } from '../../../../sdk/src/data/converters/mine-hard-negatives';
import { cosDeg, geometryModel } from './geometry-model';

// Anchors qa/qb/qc at 0°, 90°, 180°; their positives 10° further; extra candidates at 20°, 45°, 140°.
const ANGLES = { qa: 0, pa: 10, qb: 90, pb: 100, qc: 180, pc: 190, na: 20, nb: 45, nc: 140 };
const pairs = Dataset.fromColumns({ anchor: ['qa', 'qb', 'qc'], positive: ['pa', 'pb', 'pc'] });
const corpus = ['na', 'nb', 'nc'];
const quiet = { verbose: false, corpus };

test('top negatives by cosine, own positive excluded; triplet rows per negative', async () => {
  await ready();
  const model = geometryModel(ANGLES);
  const before = tf.memory().numTensors;
  const mined = await mineHardNegatives(pairs, model, { ...quiet, numNegatives: 2 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(mined.toRecords(), [
    { anchor: 'qa', positive: 'pa', negative: 'na' },
    { anchor: 'qa', positive: 'pa', negative: 'nb' },
    { anchor: 'qb', positive: 'pb', negative: 'nb' },
    { anchor: 'qb', positive: 'pb', negative: 'nc' },
    { anchor: 'qc', positive: 'pc', negative: 'nc' },
    { anchor: 'qc', positive: 'pc', negative: 'pb' },
  ]);
  assert.equal(mined.labelColumn, undefined);
});

test("'n-tuple' with scores: (anchor, positive, negative_1..n) and a scores label [pos, neg_1..n]", async () => {
  const model = geometryModel(ANGLES);
  const mined = await mineHardNegatives(pairs, model, { ...quiet, numNegatives: 2, outputFormat: 'n-tuple', outputScores: true });
  assert.deepEqual(mined.columnNames, ['anchor', 'positive', 'negative_1', 'negative_2', 'scores']);
  assert.equal(mined.labelColumn, 'scores');
  assert.deepEqual(mined.select(['anchor', 'negative_1', 'negative_2']).toRecords(), [
    { anchor: 'qa', negative_1: 'na', negative_2: 'nb' },
    { anchor: 'qb', negative_1: 'nb', negative_2: 'nc' },
    { anchor: 'qc', negative_1: 'nc', negative_2: 'pb' },
  ]);
  const want = [
    [cosDeg(0, 10), cosDeg(0, 20), cosDeg(0, 45)],
    [cosDeg(90, 100), cosDeg(90, 45), cosDeg(90, 140)],
    [cosDeg(180, 190), cosDeg(180, 140), cosDeg(180, 100)],
  ];
  mined.vectors('scores').forEach((row, i) => row.forEach((v, j) => assert.ok(Math.abs(v - want[i][j]) < 1e-5, `scores[${i}][${j}] ${v} vs ${want[i][j]}`)));
});

test('filters: absolute margin, relative margin, maxScore, minScore, rangeMin; skipped counts reported', async () => {
  const model = geometryModel(ANGLES);
  const negatives = async (o: Parameters<typeof mineHardNegatives>[2]) => {
    const { dataset, summary } = await mineHardNegativesWithSummary(pairs, model, { ...quiet, numNegatives: 2, outputFormat: 'n-tuple', ...o });
    return { rows: dataset.toRecords().map((r) => [r.negative_1, r.negative_2]), summary };
  };
  const margin = await negatives({ margin: 0.1 });
  assert.deepEqual(margin.rows, [['nb', 'pb'], ['nb', 'nc'], ['nc', 'pb']]);
  assert.equal(margin.summary.skipped.margin, 1);
  assert.equal(margin.summary.rangeMax, 21); // rangeMin + 10 × numNegatives + maxPositives when filtering
  const relative = await negatives({ relativeMargin: 0.05 });
  assert.deepEqual(relative.rows, [['nb', 'pb'], ['nb', 'nc'], ['nc', 'pb']]);
  assert.equal(relative.summary.skipped.relativeMargin, 1);
  const max = await negatives({ maxScore: 0.75 });
  assert.deepEqual(max.rows, [['nb', 'pb'], ['nb', 'nc'], ['pb', 'nb']]);
  assert.equal(max.summary.skipped.maxScore, 2);
  assert.deepEqual((await negatives({ rangeMin: 1 })).rows, [['nb', 'pb'], ['nc', 'na'], ['pb', 'nb']]);
  const min = await negatives({ minScore: 0.5 });
  assert.deepEqual(min.rows, [['na', 'nb'], ['nb', 'nc']]);
  assert.equal(min.summary.short, 1);
  // triplets keep whatever negatives were found
  const triplets = await mineHardNegatives(pairs, model, { ...quiet, numNegatives: 3, minScore: 0.5 });
  assert.deepEqual(triplets.column('negative'), ['na', 'nb', 'nb', 'nc', 'nc']);
});

test('an anchor with several positives: none of them is a negative, and each gets the negatives', async () => {
  const model = geometryModel(ANGLES);
  const ds = Dataset.fromColumns({ query: ['qa', 'qa', 'qb'], answer: ['pa', 'na', 'pb'] });
  const mined = await mineHardNegatives(ds, model, { verbose: false, numNegatives: 1 });
  assert.deepEqual(mined.toRecords(), [
    { query: 'qa', answer: 'pa', negative: 'pb' },
    { query: 'qa', answer: 'na', negative: 'pb' },
    { query: 'qb', answer: 'pb', negative: 'na' },
  ]);
});

test("'random' sampling draws from the candidate window (seeded) and keeps best-first order", async () => {
  const model = geometryModel(ANGLES);
  const opts = { ...quiet, numNegatives: 2, samplingStrategy: 'random' as const, rangeMax: 4, outputFormat: 'n-tuple' as const, seed: 3 };
  const a = await mineHardNegatives(pairs, model, opts);
  assert.deepEqual((await mineHardNegatives(pairs, model, opts)).toRecords(), a.toRecords());
  const windows: Record<string, string[]> = { qa: ['na', 'nb', 'pb', 'nc'], qb: ['nb', 'nc', 'na', 'pa'], qc: ['nc', 'pb', 'nb', 'na'] };
  for (const r of a) {
    const w = windows[r.anchor as string];
    assert.ok(w.includes(r.negative_1 as string) && w.includes(r.negative_2 as string));
    assert.ok(w.indexOf(r.negative_1 as string) < w.indexOf(r.negative_2 as string), 'best first');
  }
});

test('argument errors', async () => {
  const model = geometryModel(ANGLES);
  await assert.rejects(mineHardNegatives(pairs.head(0), model, quiet), /mineHardNegatives: the dataset is empty/);
  await assert.rejects(mineHardNegatives(pairs, model, { ...quiet, numNegatives: 0 }), /numNegatives must be an integer ≥ 1; got 0/);
  await assert.rejects(mineHardNegatives(pairs, model, { ...quiet, rangeMin: 5, rangeMax: 5 }), /rangeMin must be smaller than rangeMax; got rangeMin=5 and rangeMax=5/);
  await assert.rejects(
    mineHardNegatives(pairs, model, { ...quiet, numNegatives: 4, rangeMin: 2, rangeMax: 5 }),
    /cannot mine 4 negatives per anchor: only 3 candidates remain after skipping the first rangeMin=2 of rangeMax=5/,
  );
  await assert.rejects(mineHardNegatives(Dataset.fromColumns({ anchor: ['qa'] }), model, quiet), /mineHardNegatives needs 2 text columns; the dataset has 1 \(anchor\)/);
});

test('a euclidean model mines by its own similarity (the same ranking on normalised embeddings)', async () => {
  const model = geometryModel(ANGLES);
  model.similarityFnName = 'euclidean';
  const { dataset, summary } = await mineHardNegativesWithSummary(pairs, model, { ...quiet, numNegatives: 2, outputScores: true });
  assert.deepEqual(dataset.column('negative'), ['na', 'nb', 'nb', 'nc', 'nc', 'pb']);
  // euclidean_sim = −‖a − b‖ = −2 sin(Δ/2) for unit vectors
  const chord = (deg: number) => -2 * Math.sin(((deg / 2) * Math.PI) / 180);
  assert.ok(Math.abs(dataset.vectors('scores')[0][1] - chord(20)) < 1e-5);
  assert.ok(Math.abs(summary.meanPositiveScore - chord(10)) < 1e-5);
});
