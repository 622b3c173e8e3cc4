// A word-level tokenizer.json built from a word list (GloVe vectors come with words, not word pieces):
// BERT-style normalization and pre-tokenization, then one id per word, [UNK] otherwise.
import { Tokenizer, type TokenizerJSON } from './tokenizer';

export const WORD_LEVEL_SPECIAL_TOKENS = ['[PAD]', '[UNK]'] as const;

export function wordLevelTokenizer(words: readonly string[], options: { lowercase?: boolean } = {}): Tokenizer {
  const vocab: Record<string, number> = {};
  let next = 0;
  for (const t of WORD_LEVEL_SPECIAL_TOKENS) vocab[t] = next++;
  for (const w of words) if (!Object.hasOwn(vocab, w)) vocab[w] = next++;
  const json: TokenizerJSON = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: WORD_LEVEL_SPECIAL_TOKENS.map((content, id) => ({
      id, content, single_word: false, lstrip: false, rstrip: false, normalized: false, special: true,
    })),
    normalizer: { type: 'BertNormalizer', clean_text: true, handle_chinese_chars: true, strip_accents: null, lowercase: options.lowercase ?? true },
    pre_tokenizer: { type: 'BertPreTokenizer' },
    post_processor: null,
    decoder: null,
    model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
  };
  return new Tokenizer(json, { pad_token: '[PAD]', unk_token: '[UNK]' });
}
