import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { scoresToBinary } from '../../../../sdk/src/data/converters/scores-to-binary';
import { binaryToPositivePairs } from '../../../../sdk/src/data/converters/binary-to-positive-pairs';

const sts = () => Dataset.fromColumns({ sentence1: ['a', 'b', 'c'], sentence2: ['x', 'y', 'z'], score: [0.5, 0.49, 0.9] });

test('scoresToBinary: 1 at or above the threshold; the score column becomes `label`', () => {
  const b = scoresToBinary(sts(), { threshold: 0.5 });
  assert.deepEqual(b.columnNames, ['sentence1', 'sentence2', 'label']);
  assert.equal(b.labelColumn, 'label');
  assert.deepEqual(b.column('label'), [1, 0, 1]);
  assert.deepEqual(scoresToBinary(sts(), { threshold: 0.95, labelName: 'same' }).toRecords().map((r) => r.same), [0, 0, 0]);
  assert.throws(() => scoresToBinary(sts(), {} as { threshold: number }), /scoresToBinary needs a finite \{ threshold \}; got undefined/);
  assert.throws(() => scoresToBinary(Dataset.fromColumns({ a: ['x'], score: [null] }), { threshold: 1 }), /score column 'score' row 0 must be a number; found null/);
});

test('binaryToPositivePairs: label-1 rows as (anchor, positive); other labels rejected', () => {
  const pairs = Dataset.fromColumns({ sentence1: ['a', 'b', 'c'], sentence2: ['x', 'y', 'z'], label: [1, 0, 1] });
  assert.deepEqual(binaryToPositivePairs(pairs).toRecords(), [
    { anchor: 'a', positive: 'x' },
    { anchor: 'c', positive: 'z' },
  ]);
  const chained = binaryToPositivePairs(scoresToBinary(sts(), { threshold: 0.5 }));
  assert.deepEqual(chained.column('anchor'), ['a', 'c']);
  assert.throws(() => binaryToPositivePairs(sts()), /binaryToPositivePairs: label column 'score' row 0 must be 0 or 1; found number 0.5/);
});
