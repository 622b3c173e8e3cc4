import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultTokenizer, wordLevelTokenizer, Tokenizer } from '../../../sdk/src/tokenizers';

test('bert-base-uncased ids for known strings', () => {
  const tok = defaultTokenizer();
  assert.deepEqual(tok.encode('hello'), [101, 7592, 102]);
  assert.deepEqual(tok.encode('A man is playing a flute.'), [101, 1037, 2158, 2003, 2652, 1037, 8928, 1012, 102]);
  assert.deepEqual(tok.tokenize('unaffable'), ['una', '##ffa', '##ble']);
  assert.deepEqual(tok.encode('Café'), tok.encode('cafe'), 'accents stripped, lowercased');
  assert.equal(tok.vocabSize, 30522);
  assert.equal(tok.padTokenId, 0);
  assert.equal(tok.numSpecialTokens, 2);
});

test('truncation keeps [CLS] and [SEP]; padding on the right with a 0/1 mask', () => {
  const tok = defaultTokenizer();
  const b = tok.encodeBatch(['hello world, unaffable!', 'a'], { maxLength: 5 });
  assert.deepEqual(b.inputIds, [[101, 7592, 2088, 1010, 102], [101, 1037, 102, 0, 0]]);
  assert.deepEqual(b.attentionMask, [[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]]);
  assert.deepEqual(b.lengths, [5, 3]);
  assert.deepEqual(tok.encodeBatch(['hello world'], { addSpecialTokens: false }).inputIds, [[7592, 2088]]);
  assert.deepEqual(tok.encode('', {}), [101, 102]);
});

test('non-string input names the text', () => {
  const tok = defaultTokenizer();
  assert.throws(() => tok.encodeBatch(['ok', null as unknown as string]), /text 1: tokenizer expects a string; got null/);
});

test('word-level tokenizer from a word list', () => {
  const tok = wordLevelTokenizer(['hello', 'world', ',']);
  assert.deepEqual(tok.encode('Hello World, foo!'), [2, 3, 4, 1, 1]);
  assert.equal(tok.vocabSize, 5);
  assert.equal(tok.padTokenId, 0);
  assert.equal(tok.decode([2, 3]), 'hello world');
});

test('a tokenizer.json without a model is rejected', () => {
  assert.throws(() => new Tokenizer({} as never), /no "model" object/);
});
