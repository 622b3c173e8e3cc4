// The built-in WordPiece path (wordpiece-fast.ts) against @huggingface/tokenizers itself: identical ids on
// hand-written edge cases, on several BertNormalizer settings, and for the configurations it does not
// implement the Tokenizer keeps the library. Every text of notebooks/data: wordpiece-fast-datasets.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer as HFTokenizer } from '@huggingface/tokenizers';
import { DEFAULT_TOKENIZER_DIR, Tokenizer, wordLevelTokenizer, type TokenizerJSON } from '../../../sdk/src/tokenizers';
import { FastWordPiece } from '../../../sdk/src/tokenizers/wordpiece-fast';

const BERT = JSON.parse(readFileSync(join(DEFAULT_TOKENIZER_DIR, 'tokenizer.json'), 'utf8')) as TokenizerJSON;
const hfBert = new HFTokenizer(BERT, {});
const libraryIds = (hf: HFTokenizer, text: string) => hf.encode(text, { add_special_tokens: false }).ids;

const EDGE_CASES: readonly string[] = [
  '', ' ', '   ', '\t\n\r', '\u00a0\u3000\u2028\u2029\u1680\u202f\u205f', ' leading and trailing ', 'multiple   spaces\t\ttabs\n\nnewlines\r\n',
  // control, format, private-use, replacement and surrogate code points
  'a\u0000b', 'a\u0007b', 'x\u0085y', 'a\vb\fc', 'a\u200bb', 'a\ufeffb', 'zero\u200dwidth\u200cjoin', 'a\ufffdb', '\ue000 private \u{f0000}', '\u00adsoft\u00adhyphen',
  '\ud800x', 'x\udc00', 'a\udc00\ud800b', '\u001f\u001c unit separators',
  // Chinese and other CJK: BMP ideographs get spaces, extension B (outside the BMP) does not, kana/hangul do not
  '我爱北京天安门', '中文English混合123', '𠀀𠀁 ext-B', '豈 compatibility', 'こんにちは世界', '안녕하세요', '中。文，标点！', '㐀 ext-A',
  // accents, case and scripts
  'Café naïve résumé', 'ÀÉÎÕÜ àéîõü', 'e\u0301 combining', 'Ångström', 'Tiếng Việt có dấu', 'ΟΔΥΣΣΕΥΣ ΣΟΦΟΣ σοφός', 'İstanbul ıI',
  'STRASSE straße', 'ﬁ ligature ﬂ', 'Привет, мир! Ёлка', 'שלום עולם', 'مرحبا بالعالم', 'नमस्ते दुनिया', 'ÆØÅ æøå œ', 'Ǆ ǅ ǆ',
  // punctuation, ASCII symbols and Unicode punctuation
  'hello,world!?', "don't can't won't", '«quotes» „low“ ‘single’', 'em—dash en–dash', '¿Qué? ¡Sí!', 'wait…', '§¶†‡', '$100 + 5% = ^~`|<>', 'a・b', '\u{10100}aegean',
  '(parens) [brackets] {braces}', '#hashtag @mention', 'email@example.com http://x.y/z?q=1', '3.14159 1,000,000 2nd 1⁄4-ton', '©®™ °C ±', '😀 ok 👍🏽 🇫🇷',
  // words too long for WordPiece (more than 100 code points) and unknown characters
  'a'.repeat(100), 'a'.repeat(101), 'abc'.repeat(40), 'é'.repeat(101), '😀'.repeat(60), '😀'.repeat(101), '☃', 'x☃y snow☃man', 'unaffable antidisestablishmentarianism',
  // added tokens inside the text (the library's path), and look-alikes that are not added tokens
  'a [MASK] b', '[CLS]', '[cls] [sep]', 'x[SEP]y', '[PAD][UNK]', '[MASK',
];

test('bert-base-uncased takes the fast path; ids equal the library on every edge case', () => {
  const tok = new Tokenizer(BERT);
  assert.equal(tok.usesFastWordPiece, true);
  for (const text of EDGE_CASES) assert.deepEqual(tok.contentIds(text), libraryIds(hfBert, text), JSON.stringify(text));
});

test('known ids: empty and blank texts, [UNK] for long words and unknown characters, added tokens', () => {
  const fast = FastWordPiece.fromJSON(BERT)!;
  assert.deepEqual(fast.contentIds(''), []);
  assert.deepEqual(fast.contentIds(' \t\n\u3000'), []);
  assert.deepEqual(fast.contentIds('a'.repeat(101)), [100]);
  assert.deepEqual(fast.contentIds('a'.repeat(101) + ' a'), [100, 1037]);
  assert.deepEqual(fast.contentIds('x☃y'), [100]);
  assert.deepEqual(fast.contentIds('Unaffable, café!'), [14477, 20961, 3468, 1010, 7668, 999]);
  assert.deepEqual(fast.contentIds('中文'), [1746, 1861]);
  // Texts containing an added token are left to the library; the Tokenizer then gives its ids.
  assert.equal(fast.contentIds('a [MASK] b'), undefined);
  assert.deepEqual(new Tokenizer(BERT).contentIds('a [MASK] b'), [1037, 103, 1038]);
});

test('the word cache stays within its limit and does not change the ids', () => {
  const fast = FastWordPiece.fromJSON(BERT, {}, { wordCacheLimit: 3 })!;
  const text = 'one two three four five six seven, one two';
  const first = fast.contentIds(text);
  assert.ok(fast.cachedWords <= 3, `cached ${fast.cachedWords} words`);
  assert.deepEqual(fast.contentIds(text), first);
  assert.deepEqual(first, libraryIds(hfBert, text));
});

test('truncation and padding with the fast path keep [CLS]/[SEP] and mask the padding', () => {
  const tok = new Tokenizer(BERT);
  const texts = ['Café naïve résumé, unaffable!', '', 'a [MASK] b'];
  const b = tok.encodeBatch(texts, { maxLength: 5 });
  assert.deepEqual(b.inputIds, [[101, 7668, 15743, 13746, 102], [101, 102, 0, 0, 0], [101, 1037, 103, 1038, 102]]);
  assert.deepEqual(b.attentionMask, [[1, 1, 1, 1, 1], [1, 1, 0, 0, 0], [1, 1, 1, 1, 1]]);
  const flat = tok.encodeBatchFlat(texts, { maxLength: 5, addSpecialTokens: false });
  assert.equal(flat.width, 5);
  assert.deepEqual(Array.from(flat.inputIds), [7668, 15743, 13746, 1010, 14477, 0, 0, 0, 0, 0, 1037, 103, 1038, 0, 0]);
  assert.deepEqual(Array.from(flat.attentionMask), [1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0]);
  assert.deepEqual(flat.lengths, [5, 0, 3]);
});

/** bert-base-uncased's tokenizer.json with another normalizer (the vocabulary object is shared, not copied). */
function withNormalizer(normalizer: Record<string, unknown>): TokenizerJSON {
  return { ...BERT, normalizer: { type: 'BertNormalizer', ...normalizer } };
}

test('other BertNormalizer settings: ids equal the library', () => {
  const tatoeba = readFileSync(join(__dirname, '..', '..', '..', 'notebooks', 'data', 'tatoeba-parallel', 'dev.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .slice(0, 200)
    .map((l) => (JSON.parse(l) as { non_english: string }).non_english);
  const settings = [
    { clean_text: true, handle_chinese_chars: true, strip_accents: false, lowercase: true },
    { clean_text: true, handle_chinese_chars: true, strip_accents: true, lowercase: false },
    { clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: false },
    { clean_text: false, handle_chinese_chars: false, strip_accents: null, lowercase: true },
  ];
  for (const normalizer of settings) {
    const json = withNormalizer(normalizer);
    const tok = new Tokenizer(json);
    const hf = new HFTokenizer(json, {});
    assert.equal(tok.usesFastWordPiece, true);
    for (const text of [...EDGE_CASES, ...tatoeba]) assert.deepEqual(tok.contentIds(text), libraryIds(hf, text), `${JSON.stringify(normalizer)}: ${JSON.stringify(text)}`);
  }
});

test('configurations the fast path does not implement keep the library', () => {
  const bertProcessing = { type: 'BertProcessing', sep: ['[SEP]', 102], cls: ['[CLS]', 101] };
  assert.equal(new Tokenizer({ ...BERT, post_processor: bertProcessing }).usesFastWordPiece, true);
  const unsupported: [string, TokenizerJSON, Record<string, unknown>?][] = [
    ['Whitespace pre-tokenizer', { ...BERT, pre_tokenizer: { type: 'Whitespace' } }],
    ['NFD normalizer', { ...BERT, normalizer: { type: 'NFD' } }],
    ['fuse_unk', { ...BERT, model: { ...BERT.model, fuse_unk: true } }],
    ['model type inferred', { ...BERT, model: { ...BERT.model, type: undefined } }],
    ['normalized added token', { ...BERT, added_tokens: [...(BERT.added_tokens ?? []), { id: 1037, content: 'zzz', special: false, normalized: true }] }],
    ['template with the sequence twice', { ...BERT, post_processor: { type: 'TemplateProcessing', single: [{ Sequence: { id: 'A', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }] } }],
    ['remove_space', BERT, { remove_space: true }],
    ['do_lowercase_and_remove_accent', BERT, { do_lowercase_and_remove_accent: true }],
  ];
  for (const [what, json, config] of unsupported) assert.equal(FastWordPiece.fromJSON(json, config), undefined, what);
  const tok = new Tokenizer({ ...BERT, pre_tokenizer: { type: 'Whitespace' } });
  assert.equal(tok.usesFastWordPiece, false);
  assert.deepEqual(tok.contentIds('Hello, world'), [7592, 1010, 2088]);
});

test('word-level (GloVe) tokenizers keep the library', () => {
  const tok = wordLevelTokenizer(['hello', 'world', ',', 'café']);
  assert.equal(tok.usesFastWordPiece, false);
  assert.deepEqual(tok.encode('Hello World, foo! Café'), [2, 3, 4, 1, 1, 1]);
  assert.deepEqual(tok.encodeBatch(['hello', 'world , hello'], { maxLength: 2 }).inputIds, [[2, 0], [3, 4]]);
});
