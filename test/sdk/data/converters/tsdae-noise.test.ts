import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset } from '../../../../sdk/src/data/dataset';
import { deletionNoise, joinWords, splitWords, tsdaeNoise } from '../../../../sdk/src/data/converters/tsdae-noise';
import type { RandomSource } from '../../../../sdk/src/util/random';

const scripted = (values: number[]): RandomSource => ({ next: () => values.shift() as number });

test('words and punctuation split NLTK-style and re-joined', () => {
  assert.deepEqual(splitWords("The cat's mat (red), isn't it?"), ['The', "cat's", 'mat', '(', 'red', ')', ',', "isn't", 'it', '?']);
  assert.equal(joinWords(splitWords("The cat's mat (red), isn't it?")), "The cat's mat (red), isn't it?");
});

test('deletionNoise keeps each word when its draw exceeds the ratio; never deletes everything', () => {
  assert.equal(deletionNoise('The cat sat on the mat.', scripted([0.7, 0.1, 0.9, 0.5, 0.65, 0.2, 0.99])), 'The sat the.');
  // all draws below the ratio: one word, chosen by the next draw (0.5 of 3 words → index 1), survives
  assert.equal(deletionNoise('one two three', scripted([0.1, 0.2, 0.3, 0.5])), 'two');
  assert.equal(deletionNoise('   ', scripted([])), '   ');
  assert.equal(deletionNoise('a b', scripted([0.05, 0.06]), 0), 'a b');
});

test('tsdaeNoise: (damaged_sentence, original_sentence), seeded, ratio and noise function pluggable', () => {
  const ds = Dataset.fromColumns({ text: ['the quick brown fox jumps over the lazy dog', 'hello world'] });
  const a = tsdaeNoise(ds, { seed: 1 });
  assert.deepEqual(a.columnNames, ['damaged_sentence', 'original_sentence']);
  assert.deepEqual(a.column('original_sentence'), ds.column('text'));
  assert.deepEqual(tsdaeNoise(ds, { seed: 1 }).toRecords(), a.toRecords());
  for (const r of a) {
    const kept = r.damaged_sentence.split(' ');
    assert.ok(kept.length >= 1);
    // the damaged text is a subsequence of the original's words
    let j = 0;
    const words = r.original_sentence.split(' ');
    for (const w of kept) {
      while (j < words.length && words[j] !== w) j++;
      assert.ok(j < words.length, `${r.damaged_sentence} ⊄ ${r.original_sentence}`);
      j++;
    }
  }
  assert.deepEqual(tsdaeNoise(ds, { deletionRatio: 0 }).column('damaged_sentence'), ds.column('text'));
  assert.deepEqual(tsdaeNoise(ds, { deletionRatio: 1, seed: 3 }).column('damaged_sentence').map((t) => t.split(' ').length), [1, 1]);
  const upper = tsdaeNoise(ds, { noise: (t) => t.toUpperCase() });
  assert.deepEqual(upper.column('damaged_sentence'), ['THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG', 'HELLO WORLD']);
  assert.throws(() => tsdaeNoise(ds, { deletionRatio: 1.5 }), /deletionRatio must be in \[0, 1\]; got 1.5/);
  assert.throws(() => tsdaeNoise(ds, { noise: () => 5 as unknown as string }), /the noise function returned number for row 0; it must return a string/);
});
