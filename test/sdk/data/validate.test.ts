import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../sdk/src/data/dataset';
import { DatasetValidationError, describeLabels, inspectDataset, validateDataset, validateForLoss } from '../../../sdk/src/data/validate';
import type { LossFormatsLike } from '../../../sdk/src/data/validate';

const messy = () =>
  Dataset.fromColumns(
    {
      sentence1: ['ok', null, '', 'fine', 7, '  ', 'good'],
      sentence2: ['a', 'b', 'c', NaN, 'e', 'f', 'g'],
      score: [0.5, 1, 0, 0.25, 0.5, null, 'x'],
    },
    { source: 'sts.jsonl' },
  );

test('inspectDataset counts each problem with its rows', () => {
  const report = inspectDataset(messy());
  assert.equal(report.ok, false);
  assert.equal(report.rowCount, 7);
  assert.deepEqual(report.invalidRows, [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(
    report.issues.map((i) => i.message),
    [
      "column 'sentence1': 1 null/NaN text (row 1)",
      "column 'sentence1': 2 empty texts (rows 2, 5)",
      "column 'sentence1': 1 non-string text cell (row 4; row 4 holds number 7)",
      "column 'sentence2': 1 null/NaN text (row 3)",
      "column 'score': 1 null/NaN label (row 5)",
      'column \'score\': 1 label is not a finite number or a vector of one length (row 6; row 6 holds string "x")',
    ],
  );
  assert.deepEqual(report.issues.map((i) => i.kind), ['missing-text', 'empty-text', 'not-text', 'missing-text', 'missing-label', 'bad-label']);
});

test('validateDataset throws one message listing everything, or drops the invalid rows', () => {
  assert.throws(
    () => validateDataset(messy()),
    (e: unknown) =>
      e instanceof DatasetValidationError &&
      e.report?.invalidRows.length === 6 &&
      e.message ===
        [
          'Dataset from sts.jsonl has 6 invalid rows of 7:',
          "  - column 'sentence1': 1 null/NaN text (row 1)",
          "  - column 'sentence1': 2 empty texts (rows 2, 5)",
          "  - column 'sentence1': 1 non-string text cell (row 4; row 4 holds number 7)",
          "  - column 'sentence2': 1 null/NaN text (row 3)",
          "  - column 'score': 1 null/NaN label (row 5)",
          '  - column \'score\': 1 label is not a finite number or a vector of one length (row 6; row 6 holds string "x")',
          'Pass { dropInvalid: true } to drop them.',
        ].join('\n'),
  );
  const clean = validateDataset(messy(), { dropInvalid: true });
  assert.deepEqual(clean.toRecords(), [{ sentence1: 'ok', sentence2: 'a', score: 0.5 }]);
  const fine = Dataset.fromColumns({ t: ['x'] });
  assert.equal(validateDataset(fine), fine);
});

test('long row lists are cut after 10', () => {
  const ds = Dataset.fromColumns({ t: Array.from({ length: 25 }, () => '') });
  assert.equal(inspectDataset(ds).issues[0].message, "column 't': 25 empty texts (rows 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … (15 more))");
});

test('structural errors: missing columns, unexpected or missing label column', () => {
  const ds = Dataset.fromColumns({ anchor: ['a'], positive: ['b'] });
  assert.throws(() => validateDataset(ds, { columns: ['anchor', 'negative', 'x'] }), /Dataset is missing columns 'negative', 'x'; it has anchor, positive/);
  assert.throws(() => validateDataset(ds, { labels: 'float' }), /Dataset has no label column but a float score is expected/);
  const labelled = Dataset.fromColumns({ anchor: ['a'], label: [1] });
  assert.throws(() => validateDataset(labelled, { labels: 'none' }), /has label column 'label' but no label is expected: remove it or use withLabelColumn\(null\)/);
});

test('label kinds: class, binary, float, embeddings, margin', () => {
  const check = (labels: (number | number[] | string)[], kind: Parameters<typeof validateDataset>[1] extends infer O ? (O extends { labels?: infer L } ? L : never) : never) =>
    inspectDataset(Dataset.fromColumns({ t: labels.map(() => 'x'), label: labels }), { labels: kind }).issues.map((i) => i.message);
  assert.deepEqual(check([0, 3, 76], 'class'), []);
  assert.deepEqual(check([0, 1.5, -1], 'class'), ["column 'label': 2 labels are not a class id (integer ≥ 0) (rows 1, 2; row 1 holds number 1.5)"]);
  assert.deepEqual(check([0, 1, 2], 'binary'), ["column 'label': 1 label is not 0 or 1 (row 2; row 2 holds number 2)"]);
  assert.deepEqual(check([0.1, Infinity], 'float'), ["column 'label': 1 label is not a finite number (row 1; row 1 holds number Infinity)"]);
  assert.deepEqual(check([[1, 2], [3], 4], 'embeddings'), ["column 'label': 2 labels are not a vector of finite numbers, all of one length (rows 1, 2; row 1 holds array of length 1)"]);
  assert.deepEqual(check([0.5, [1, 2]], 'margin'), []);
});

const cosent: LossFormatsLike = { name: 'CoSENTLoss', formats: [{ texts: 'pair', labels: 'float' }] };
const mnrl: LossFormatsLike = {
  name: 'MultipleNegativesRankingLoss',
  formats: [
    { texts: 'anchor-positive', labels: 'none' },
    { texts: 'anchor-positive-negative', labels: 'none' },
    { texts: 'anchor-positive-negatives', labels: 'none' },
  ],
};

test('validateForLoss accepts a fitting dataset and reports bad rows under the loss name', () => {
  const sts = Dataset.fromColumns({ sentence1: ['a', 'b'], sentence2: ['c', 'd'], score: [0.5, 1] });
  assert.equal(validateForLoss(sts, cosent), sts);
  const bad = Dataset.fromColumns({ sentence1: ['a', ''], sentence2: ['c', 'd'], score: [0.5, 1] });
  assert.throws(() => validateForLoss(bad, cosent), /^DatasetValidationError: CoSENTLoss: Dataset has 1 invalid row of 2:\n  - column 'sentence1': 1 empty text \(row 1\)/);
  assert.equal(validateForLoss(bad, cosent, { dropInvalid: true }).length, 1);
  const triplets = Dataset.fromColumns({ anchor: ['a'], positive: ['b'], negative: ['c'] });
  assert.equal(validateForLoss(triplets, mnrl), triplets);
});

test('validateForLoss names the expected formats, what it got, and the converter to use', () => {
  const nli = Dataset.fromColumns({ premise: ['a'], hypothesis: ['b'], label: [2], label_text: ['contradiction'] });
  assert.throws(
    () => validateForLoss(nli, cosent),
    {
      message:
        "CoSENTLoss expects (sentence_A, sentence_B) pairs + float score; got 3 text columns (premise, hypothesis, label_text) and label 'label' (integers 2..2). " +
        'Keep only the columns the loss needs with select([...]) (extra columns such as label_text or source count as texts)',
    },
  );
  const pairs01 = Dataset.fromColumns({ sentence1: ['a', 'b'], sentence2: ['c', 'd'], label: [0, 1] });
  assert.throws(() => validateForLoss(pairs01, mnrl), /MultipleNegativesRankingLoss expects \(anchor, positive\) pairs \+ no label, or \(anchor, positive, negative\) triplets \+ no label, or \(anchor, positive, negative_1, \.\.\., negative_n\) tuples \+ no label; got 2 text columns \(sentence1, sentence2\) and label 'label' \(0\/1\)\. Keep the positive pairs with binaryToPositivePairs\(\)/);
  const nliPairs = nli.select(['premise', 'hypothesis', 'label']);
  assert.throws(() => validateForLoss(nliPairs, mnrl), /For NLI pairs use nliToPairs\(\) or nliToTriplets\(\)/);
  const contrastive: LossFormatsLike = { name: 'ContrastiveLoss', formats: [{ texts: 'pair', labels: 'binary' }] };
  const sts = Dataset.fromColumns({ sentence1: ['a'], sentence2: ['c'], score: [0.5] });
  assert.throws(() => validateForLoss(sts, contrastive), /ContrastiveLoss expects \(sentence_A, sentence_B\) pairs \+ 0\/1 label; got .*label 'score' \(numbers in \[0\.5, 0\.5\]\)\. Turn scores into 0\/1 labels with scoresToBinary\(\{ threshold \}\)/);
  assert.throws(() => validateForLoss(sts.select(['sentence1', 'score']), contrastive), /got 1 text column \(sentence1\)/);
  const mse: LossFormatsLike = { name: 'MSELoss', formats: [{ texts: 'single', labels: 'embeddings' }], columns: { min: 1, max: null } };
  const parallel = Dataset.fromColumns({ english: ['a'], non_english: ['b'] });
  assert.throws(() => validateForLoss(parallel, mse), /MSELoss expects single sentences \+ teacher embeddings; got 2 text columns \(english, non_english\) and no label\. Add teacher embeddings with addTeacherEmbeddings/);
  const withEmb = parallel.withLabel('label', [[0.1, 0.2]]);
  assert.equal(validateForLoss(withEmb, mse), withEmb);
  const marginMse: LossFormatsLike = { name: 'MarginMSELoss', formats: [{ texts: 'query-passage-passage', labels: 'margin' }] };
  const qpp = Dataset.fromColumns({ query: ['q'], positive: ['p'], negative: ['n'] });
  assert.throws(() => validateForLoss(qpp, marginMse), /Add teacher margins with addTeacherMargins\(dataset, teacher\)/);
  assert.throws(() => validateForLoss(Dataset.fromColumns({ anchor: ['a'], positive: ['p'] }), { name: 'TripletLoss', formats: [{ texts: 'anchor-positive-negative', labels: 'none' }] }), /Add negatives with mineHardNegatives\(dataset, model\)/);
  const single = Dataset.fromColumns({ text: ['a'], label: [3] });
  assert.throws(() => validateForLoss(single, mnrl), /Make pairs or triplets of same-class sentences with classToPairs\(\) or classToTriplets\(\)/);
  const ctib: LossFormatsLike = { name: 'ContrastiveTensionLossInBatchNegatives', formats: [{ texts: 'anchor-anchor', labels: 'none' }] };
  assert.throws(() => validateForLoss(Dataset.fromColumns({ text: ['a'] }), ctib), /Make \(anchor, anchor\) pairs with contrastiveTensionPairs\(\)/);
  const tsdae: LossFormatsLike = { name: 'DenoisingAutoEncoderLoss', formats: [{ texts: 'damaged-original', labels: 'none' }] };
  assert.throws(() => validateForLoss(Dataset.fromColumns({ text: ['a'] }), tsdae), /Make \(damaged, original\) pairs with tsdaeNoise\(\)/);
});

test('describeLabels', () => {
  assert.equal(describeLabels(Dataset.fromColumns({ t: ['a'] })), 'no label');
  assert.equal(describeLabels(Dataset.fromColumns({ t: ['a', 'b'], label: [[1, 2], [3, 4]] })), "label 'label' (vectors of length 2)");
  assert.equal(describeLabels(Dataset.fromColumns({ t: ['a', 'b'], label: [0, 76] })), "label 'label' (integers 0..76)");
  assert.equal(describeLabels(Dataset.fromColumns({ t: ['a', 'b'], label: [1, 'x'] })), 'label \'label\' (mixed: e.g. string "x")');
});
