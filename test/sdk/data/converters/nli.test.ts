import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { loadDataset } from '../../../../sdk/src/data/load';
import { nliToPairs } from '../../../../sdk/src/data/converters/nli-to-pairs';
import { nliToTriplets } from '../../../../sdk/src/data/converters/nli-to-triplets';

const data = join(__dirname, '..', '..', '..', '..', 'notebooks', 'data');

const nli = () =>
  Dataset.fromColumns({
    premise: ['P1', 'P1', 'P1', 'P2', 'P1', 'P3', 'P3', 'P3'],
    hypothesis: ['e1', 'n1', 'c1', 'e2', 'e1b', 'c3', 'c3b', 'e3'],
    label: [0, 1, 2, 0, 0, 2, 2, 0],
  });

test('nliToPairs: entailment rows as (anchor, positive), in order', () => {
  assert.deepEqual(nliToPairs(nli()).toRecords(), [
    { anchor: 'P1', positive: 'e1' },
    { anchor: 'P2', positive: 'e2' },
    { anchor: 'P1', positive: 'e1b' },
    { anchor: 'P3', positive: 'e3' },
  ]);
});

test('nliToTriplets: grouped by premise, j-th entailment with contradiction j mod k; premises without contradiction skipped', () => {
  assert.deepEqual(nliToTriplets(nli()).toRecords(), [
    { anchor: 'P1', positive: 'e1', negative: 'c1' },
    { anchor: 'P1', positive: 'e1b', negative: 'c1' },
    { anchor: 'P3', positive: 'e3', negative: 'c3' },
  ]);
  const random = nliToTriplets(nli(), { negatives: 'random', seed: 5 });
  assert.deepEqual(nliToTriplets(nli(), { negatives: 'random', seed: 5 }).toRecords(), random.toRecords());
  assert.ok(['c3', 'c3b'].includes(random.row(2).negative));
});

test('label names (label_text) and custom ids', () => {
  const named = nli().withColumn('label_text', ['entailment', 'neutral', 'contradiction', 'Entailment', 'entailment', 'contradiction', 'contradiction', 'entailment']);
  assert.deepEqual(nliToPairs(named, { label: 'label_text' }).column('positive'), ['e1', 'e2', 'e1b', 'e3']);
  const mnli = Dataset.fromColumns({ premise: ['p', 'p'], hypothesis: ['h1', 'h2'], label: [1, 0] });
  assert.deepEqual(nliToTriplets(mnli, { entailment: 1, contradiction: 0 }).toRecords(), [{ anchor: 'p', positive: 'h1', negative: 'h2' }]);
  assert.throws(() => nliToPairs(Dataset.fromColumns({ premise: ['p'], hypothesis: ['h'], label: [null] })), /nliToPairs: label column 'label' row 0 must be an NLI label \(0\/1\/2 or entailment\/neutral\/contradiction\); found null/);
});

test('converting notebooks/data/snli gives exactly the staged snli-pairs-triplets files', async () => {
  for (const split of ['train', 'validation', 'test']) {
    const snli = await loadDataset(join(data, 'snli'), { split, columns: ['premise', 'hypothesis', 'label'] });
    const pairs = await loadDataset(join(data, 'snli-pairs-triplets'), { subset: 'pairs', split });
    const triplets = await loadDataset(join(data, 'snli-pairs-triplets'), { subset: 'triplets', split });
    assert.deepEqual(nliToPairs(snli).toRecords(), pairs.toRecords(), `pairs ${split}`);
    assert.deepEqual(nliToTriplets(snli).toRecords(), triplets.toRecords(), `triplets ${split}`);
  }
});
