import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { contrastiveTensionPairs } from '../../../../sdk/src/data/converters/contrastive-tension-pairs';
import { validateForLoss } from '../../../../sdk/src/data/validate';
import { catalogEntry as ctInBatch } from '../../../../sdk/src/losses/contrastive-tension-loss-in-batch-negatives';

const sentences = Dataset.fromColumns({ text: Array.from({ length: 10 }, (_, i) => `s${i}`) });

test("'in-batch' (default): (anchor, positive) with the same text, fitting ContrastiveTensionLossInBatchNegatives", () => {
  const p = contrastiveTensionPairs(sentences.head(2));
  assert.deepEqual(p.toRecords(), [
    { anchor: 's0', positive: 's0' },
    { anchor: 's1', positive: 's1' },
  ]);
  assert.equal(validateForLoss(p, ctInBatch), p);
});

test("'classic': 1 identical pair then ratio − 1 different consecutive pairs, as ContrastiveTensionDataLoader", () => {
  const p = contrastiveTensionPairs(sentences, { layout: 'classic', posNegRatio: 4, shuffle: false });
  assert.deepEqual(p.toRecords(), [
    { sentence1: 's0', sentence2: 's0', label: 1 },
    { sentence1: 's1', sentence2: 's2', label: 0 },
    { sentence1: 's3', sentence2: 's4', label: 0 },
    { sentence1: 's5', sentence2: 's6', label: 0 },
    { sentence1: 's7', sentence2: 's7', label: 1 },
    { sentence1: 's8', sentence2: 's9', label: 0 },
  ]);
  assert.equal(p.labelColumn, 'label');
  const shuffled = contrastiveTensionPairs(sentences, { layout: 'classic', seed: 2 });
  assert.deepEqual(contrastiveTensionPairs(sentences, { layout: 'classic', seed: 2 }).toRecords(), shuffled.toRecords());
  // default ratio 8: one identical pair, then 4 different pairs use the other 8 of 9 usable sentences
  assert.deepEqual(shuffled.column('label'), [1, 0, 0, 0, 0]);
  for (const r of shuffled) assert.equal(r.sentence1 === r.sentence2, r.label === 1);
  assert.throws(() => contrastiveTensionPairs(sentences, { layout: 'classic', posNegRatio: 0 }), /posNegRatio must be a positive integer; got 0/);
});
