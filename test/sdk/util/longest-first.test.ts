import { test } from 'node:test';
import assert from 'node:assert/strict';
import { longestFirst } from '../../../sdk/src/util/longest-first';

/** The order by definition: a stable sort of the indices on length, descending. */
function reference(texts: string[]): number[] {
  return texts.map((t, i) => i).sort((a, b) => texts[b].length - texts[a].length || a - b);
}

function randomTexts(n: number, maxLength: number, seed: number): string[] {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  return Array.from({ length: n }, () => 'x'.repeat(Math.floor(next() * (maxLength + 1))));
}

test('longest first, input order among equal lengths (counting sort: short texts, many ties)', () => {
  for (const texts of [randomTexts(500, 40, 1), randomTexts(3, 2, 2), ['', '', 'a', ''], []]) {
    assert.deepEqual(Array.from(longestFirst(texts)), reference(texts));
  }
});

test('longest first with one text far longer than the rest (the sort path)', () => {
  const texts = randomTexts(200, 30, 3);
  texts[17] = 'y'.repeat(50_000);
  texts[90] = 'y'.repeat(50_000);
  const order = Array.from(longestFirst(texts));
  assert.deepEqual(order, reference(texts));
  assert.deepEqual(order.slice(0, 2), [17, 90]);
});
