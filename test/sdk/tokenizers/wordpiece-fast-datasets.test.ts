// Every text of notebooks/data (all string fields of every .jsonl: Wikipedia, SNLI, STS-B, banking77,
// BoolQ passages, Tatoeba in 8 languages) through the Tokenizer's built-in WordPiece path and through
// @huggingface/tokenizers: identical ids; BoolQ passages also truncated to 128 and 512 tokens with padding.
// Runs the library on ~68k distinct texts (~5.4 M characters): 6-10 s on 2 busy cores, most of it the library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer as HFTokenizer } from '@huggingface/tokenizers';
import { DEFAULT_TOKENIZER_DIR, Tokenizer, type TokenizerJSON } from '../../../sdk/src/tokenizers';

const DATA = join(__dirname, '..', '..', '..', 'notebooks', 'data');
const BERT = JSON.parse(readFileSync(join(DEFAULT_TOKENIZER_DIR, 'tokenizer.json'), 'utf8')) as TokenizerJSON;
const hf = new HFTokenizer(BERT, {});
const tok = new Tokenizer(BERT);
const CLS = hf.token_to_id('[CLS]')!;
const SEP = hf.token_to_id('[SEP]')!;

// The library's content ids per text, computed once (the truncation test reuses the BoolQ ones).
const libraryIds = new Map<string, number[]>();
function library(text: string): number[] {
  let ids = libraryIds.get(text);
  if (!ids) libraryIds.set(text, (ids = hf.encode(text, { add_special_tokens: false }).ids));
  return ids;
}

const sameIds = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Distinct string values per field name, over the .jsonl files of one dataset folder. */
function textColumns(folder: string): Map<string, Set<string>> {
  const columns = new Map<string, Set<string>>();
  for (const file of readdirSync(join(DATA, folder)).filter((f) => f.endsWith('.jsonl'))) {
    for (const line of readFileSync(join(DATA, folder, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      for (const [field, value] of Object.entries(JSON.parse(line) as Record<string, unknown>)) {
        if (typeof value !== 'string') continue;
        if (!columns.has(field)) columns.set(field, new Set());
        columns.get(field)!.add(value);
      }
    }
  }
  return columns;
}

const folders = readdirSync(DATA, { withFileTypes: true })
  .filter((d) => d.isDirectory() && readdirSync(join(DATA, d.name)).some((f) => f.endsWith('.jsonl')))
  .map((d) => d.name)
  .sort();

test('the datasets are there and the fast path is on', () => {
  assert.ok(folders.length >= 8, `notebooks/data has ${folders.length} dataset folders with .jsonl files`);
  assert.equal(tok.usesFastWordPiece, true);
});

for (const folder of folders) {
  test(`${folder}: every text gives the library's ids`, () => {
    const columns = textColumns(folder);
    assert.ok(columns.size > 0, `${folder} has no text fields`);
    for (const [field, texts] of columns) {
      for (const text of texts) {
        const got = tok.contentIds(text);
        // deepEqual only to report a difference: it is slow on 68k arrays.
        if (!sameIds(got, library(text))) assert.deepEqual(got, library(text), `${folder}.${field}: ${JSON.stringify(text.slice(0, 200))}`);
      }
    }
  });
}

test('BoolQ passages truncated to 128 and 512 tokens: ids and masks as the library with [CLS]/[SEP] kept', () => {
  const columns = textColumns('boolq-retrieval');
  const passages = [...new Set([...columns.get('passage')!, ...columns.get('positive')!, ...columns.get('negative')!])];
  let truncated = 0;
  for (const maxLength of [128, 512]) {
    for (let s = 0; s < passages.length; s += 64) {
      const batch = passages.slice(s, s + 64);
      const expected = batch.map((t) => {
        const content = library(t);
        if (content.length > maxLength - 2) truncated++;
        return [CLS, ...content.slice(0, maxLength - 2), SEP];
      });
      const width = Math.max(...expected.map((e) => e.length));
      const got = tok.encodeBatch(batch, { maxLength });
      batch.forEach((text, i) => {
        const pad = width - expected[i].length;
        const ids = [...expected[i], ...Array<number>(pad).fill(0)];
        const mask = [...Array<number>(expected[i].length).fill(1), ...Array<number>(pad).fill(0)];
        if (!sameIds(got.inputIds[i], ids)) assert.deepEqual(got.inputIds[i], ids, `maxLength ${maxLength}: ${JSON.stringify(text.slice(0, 200))}`);
        if (!sameIds(got.attentionMask[i], mask)) assert.deepEqual(got.attentionMask[i], mask, `maxLength ${maxLength}: mask of ${JSON.stringify(text.slice(0, 200))}`);
      });
    }
  }
  assert.ok(truncated > 100, `only ${truncated} passages were long enough to be truncated`);
});
