import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  averagePrecision,
  dcgAtK,
  findBestAccuracyAndThreshold,
  findBestF1AndThreshold,
  matthewsCorrcoef,
  meanSquaredError,
  pearson,
  rankAverage,
  spearman,
} from '../../../sdk/src/evaluation/stats';
import { assertClose, fixture } from './fixture';

describe('correlations against scipy.stats', () => {
  for (const c of fixture.correlations) {
    it(`${c.name}: pearsonr, spearmanr, rankdata`, () => {
      assertClose(pearson(c.x, c.y), c.pearson, 'pearson');
      assertClose(spearman(c.x, c.y), c.spearman, 'spearman');
      assert.deepEqual(Array.from(rankAverage(c.x)), c.rank_x);
    });
  }

  it('average ranks by hand: ties share the mean of their positions', () => {
    assert.deepEqual(Array.from(rankAverage([10, 20, 10, 30, 20, 20])), [1.5, 4, 1.5, 6, 4, 4]);
  });

  it('constant input has no correlation (NaN, as scipy)', () => {
    assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
    assert.ok(Number.isNaN(spearman([1, 2, 3], [5, 5, 5])));
  });

  it('rejects arrays of different lengths and fewer than 2 values', () => {
    assert.throws(() => pearson([1, 2, 3], [1, 2]), /pearson needs two arrays of the same length; got 3 and 2/);
    assert.throws(() => spearman([1], [1]), /pearson needs at least 2 values; got 1/);
  });
});

describe('classification statistics against sklearn', () => {
  for (const [i, c] of fixture.average_precision.entries()) {
    it(`average_precision_score case ${i}`, () => assertClose(averagePrecision(c.labels, c.scores), c.ap, 'AP'));
  }

  it('average precision is 0 without positives (sklearn returns -0.0 with a warning)', () => {
    assert.equal(averagePrecision([0, 0], [0.2, 0.1]), 0);
  });

  it('rejects labels other than 0/1', () => {
    assert.throws(() => averagePrecision([0, 2], [0.1, 0.2]), /averagePrecision expects labels 0 or 1; got 2 at row 1/);
  });

  for (const [i, c] of fixture.mcc.entries()) {
    it(`matthews_corrcoef case ${i}`, () => assertClose(matthewsCorrcoef(c.labels, c.predicted), c.mcc, 'MCC'));
  }
});

describe('threshold search (BinaryClassificationEvaluator)', () => {
  it('finds the accuracy cut by hand', () => {
    // Sorted: 0.9(1) 0.8(1) 0.4(0) 0.3(1) 0.1(0); cutting after 0.8 gives 4/5 correct.
    const r = findBestAccuracyAndThreshold([0.4, 0.9, 0.1, 0.8, 0.3], [0, 1, 0, 1, 1], true);
    assert.deepEqual(r, { accuracy: 0.8, threshold: (0.8 + 0.4) / 2 });
  });

  it('sorts ascending for distances', () => {
    const r = findBestAccuracyAndThreshold([1, 5, 2, 6], [1, 0, 1, 0], false);
    assert.deepEqual(r, { accuracy: 1, threshold: 3.5 });
  });

  it('finds the F1 cut by hand', () => {
    // Taking all three positives with one negative: P = 3/4, R = 1, F1 = 6/7.
    const r = findBestF1AndThreshold([0.9, 0.7, 0.6, 0.5, 0.2], [1, 0, 1, 1, 0], true);
    assertClose(r.f1, 6 / 7, 'f1');
    assert.equal(r.precision, 0.75);
    assert.equal(r.recall, 1);
    assertClose(r.threshold, 0.35, 'threshold');
  });

  it('keeps input order among ties (Python sorted is stable)', () => {
    // Equal scores: the label met first decides, as in sentence-transformers (which then reports a cut
    // between two equal scores: accuracy 1 at threshold 0.5, values checked with its Python code).
    assert.deepEqual(findBestAccuracyAndThreshold([0.5, 0.5, 0.1], [1, 0, 0], true), { accuracy: 1, threshold: 0.5 });
    assert.deepEqual(findBestAccuracyAndThreshold([0.5, 0.5, 0.1], [0, 1, 0], true), { accuracy: 2 / 3, threshold: 0.3 });
  });
});

describe('ranking and regression helpers', () => {
  it('dcgAtK stops at k and at the end of the list', () => {
    assertClose(dcgAtK([1, 0, 1], 10), 1 + 1 / 2, 'dcg');
    assertClose(dcgAtK([1, 1, 1], 2), 1 + 1 / Math.log2(3), 'dcg@2');
  });

  it('meanSquaredError', () => {
    assert.equal(meanSquaredError([1, 2, 3], [1, 0, 0]), (0 + 4 + 9) / 3);
  });
});
