// A fast path for the most common tokenizer.json (BERT's): BertNormalizer → BertPreTokenizer → WordPiece.
// @huggingface/tokenizers runs a regex per character while cleaning and rebuilds every candidate sub-word
// from a character array (~75 µs per Wikipedia sentence); here the normalizer is a few whole-string native
// passes and each pre-token's word pieces are cached. The ids are the library's exactly (same operations in
// the same order, checked on every text of notebooks/data by test/sdk/tokenizers/wordpiece-fast.test.ts).
// Only content ids (no special tokens) are produced: the Tokenizer adds the template's tokens around them.
// `fromJSON` returns undefined for any configuration this file does not implement, so the caller keeps the
// library for those; `contentIds` returns undefined for a text that contains an added token ("[MASK]").
import type { TokenizerConfig, TokenizerJSON } from './tokenizer';

// The library's punctuation class (its PUNCTUATION_REGEX): Unicode P plus all ASCII symbols.
const PUNCTUATION = '\\p{P}\\u0021-\\u002F\\u003A-\\u0040\\u005B-\\u0060\\u007B-\\u007E';
const IS_PUNCTUATION = new RegExp(`^[${PUNCTUATION}]$`, 'u');
const IS_WHITESPACE = /^\s$/u;
// clean_text drops NUL, U+FFFD and control/format/private/surrogate code points except \t \n \r (which
// are whitespace and become spaces with the rest of \s).
const CONTROL = /(?![\t\n\r])[\p{Cc}\p{Cf}\p{Co}\p{Cs}\uFFFD]/gu;
const WHITESPACE_BUT_SPACE = /[^\S ]/g;
// handle_chinese_chars looks at UTF-16 code units, so only the BMP CJK blocks get spaces (as the library).
const CJK = /[\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF]/g;
const NONSPACING_MARK = /\p{Mn}/gu;
const NOT_PRINTABLE_ASCII = /[^\x20-\x7E]/;
const SURROGATE = /[\uD800-\uDFFF]/;

/** BertPreTokenizer's classes: whitespace separates, punctuation is a token of its own, the rest forms words. */
const enum CharClass {
  Space = 0,
  Punctuation = 1,
  Word = 2,
}

function classify(codePoint: number): CharClass {
  const s = String.fromCodePoint(codePoint);
  return IS_WHITESPACE.test(s) ? CharClass.Space : IS_PUNCTUATION.test(s) ? CharClass.Punctuation : CharClass.Word;
}

const ASCII_CLASS = Uint8Array.from({ length: 128 }, (_, c) => classify(c));
// Classes of the non-ASCII code points seen so far (at most one entry per code point in use).
const otherClass = new Map<number, CharClass>();

function classOf(codePoint: number): CharClass {
  if (codePoint < 128) return ASCII_CLASS[codePoint] as CharClass;
  let c = otherClass.get(codePoint);
  if (c === undefined) otherClass.set(codePoint, (c = classify(codePoint)));
  return c;
}

/** Pre-tokens whose ids are kept (the cache is emptied when full: BERT's vocabulary covers most words). */
const WORD_CACHE_LIMIT = 100_000;

interface BertNormalizerConfig {
  type: 'BertNormalizer';
  clean_text?: boolean;
  handle_chinese_chars?: boolean;
  strip_accents?: boolean | null;
  lowercase?: boolean;
}

interface WordPieceModelConfig {
  type: 'WordPiece';
  vocab: Record<string, number>;
  unk_token: string;
  continuing_subword_prefix: string;
  max_input_chars_per_word?: number;
  fuse_unk?: boolean;
}

interface AddedTokenConfig {
  id: number;
  content: string;
  special?: boolean;
  normalized?: boolean;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** True when, without special tokens, the post-processor passes the model's tokens through unchanged. */
function passesContentThrough(post: unknown): boolean {
  if (post === null || post === undefined) return true;
  if (!isObject(post)) return false;
  if (post.type === 'BertProcessing') return true;
  if (post.type !== 'TemplateProcessing' || !Array.isArray(post.single)) return false;
  const sequences = post.single.filter((item) => isObject(item) && 'Sequence' in item);
  return sequences.length === 1 && isObject(sequences[0].Sequence) && sequences[0].Sequence.id === 'A';
}

export class FastWordPiece {
  private readonly wordCache = new Map<string, readonly number[]>();
  /** Longest vocabulary entry in UTF-16 units: longer candidate sub-words need no lookup. */
  private readonly maxTokenLength: number;

  private constructor(
    private readonly normalizer: BertNormalizerConfig,
    private readonly vocab: ReadonlyMap<string, number>,
    private readonly unkId: number,
    private readonly prefix: string,
    private readonly maxCharsPerWord: number,
    /** Contents of the added tokens: a text containing one takes the library's path. */
    private readonly addedContents: readonly string[],
    private readonly wordCacheLimit: number,
  ) {
    let longest = 0;
    for (const token of vocab.keys()) longest = Math.max(longest, token.length);
    this.maxTokenLength = longest;
  }

  /** The fast tokenizer for this tokenizer.json, or undefined if it is not exactly the shape implemented here. */
  static fromJSON(json: TokenizerJSON, config: TokenizerConfig = {}, options: { wordCacheLimit?: number } = {}): FastWordPiece | undefined {
    const normalizer = json.normalizer;
    const preTokenizer = json.pre_tokenizer;
    const model = json.model as Partial<WordPieceModelConfig> & Record<string, unknown>;
    if (!isObject(normalizer) || normalizer.type !== 'BertNormalizer') return undefined;
    if (!isObject(preTokenizer) || preTokenizer.type !== 'BertPreTokenizer') return undefined;
    if (!passesContentThrough(json.post_processor)) return undefined;
    // Options of the library's Tokenizer that rewrite the text before the normalizer.
    if (config.remove_space === true || config.do_lowercase_and_remove_accent === true) return undefined;
    if (model.type !== 'WordPiece' || !isObject(model.vocab) || model.fuse_unk) return undefined;
    if (typeof model.unk_token !== 'string' || typeof model.continuing_subword_prefix !== 'string') return undefined;
    const maxChars = model.max_input_chars_per_word ?? 100;
    if (typeof maxChars !== 'number') return undefined;
    const vocab = new Map<string, number>();
    for (const [token, id] of Object.entries(model.vocab)) {
      if (typeof id !== 'number') return undefined;
      vocab.set(token, id);
    }
    // The library adds every added token to the model's vocabulary (later entries win).
    const added = (json.added_tokens ?? []) as AddedTokenConfig[];
    for (const t of added) {
      // A normalized added token is matched after normalization, inside words: not implemented here.
      if ((t.normalized ?? !(t.special ?? false)) !== false) return undefined;
      vocab.set(t.content, t.id);
    }
    const unkId = vocab.get(model.unk_token);
    if (unkId === undefined) return undefined;
    return new FastWordPiece(normalizer as unknown as BertNormalizerConfig, vocab, unkId, model.continuing_subword_prefix, maxChars, added.map((t) => t.content).filter((c) => c.length > 0), options.wordCacheLimit ?? WORD_CACHE_LIMIT);
  }

  /** Number of pre-tokens cached now (at most the limit). */
  get cachedWords(): number {
    return this.wordCache.size;
  }

  /** Content ids of a text, or undefined when it contains an added token (the caller uses the library then). */
  contentIds(text: string): number[] | undefined {
    for (const content of this.addedContents) if (text.includes(content)) return undefined;
    const ids: number[] = [];
    const normalized = this.normalize(text);
    // BertPreTokenizer (the library's regex `[^\s P]+|[P]` over code points), as a scan.
    let wordStart = -1;
    for (let i = 0; i <= normalized.length; ) {
      let cp = i < normalized.length ? normalized.charCodeAt(i) : 32;
      let units = 1;
      if (cp >= 0xd800 && cp < 0xdc00 && i + 1 < normalized.length) {
        const low = normalized.charCodeAt(i + 1);
        if (low >= 0xdc00 && low < 0xe000) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
          units = 2;
        }
      }
      const cls = classOf(cp);
      if (cls !== CharClass.Word && wordStart >= 0) {
        this.pushWord(normalized.slice(wordStart, i), ids);
        wordStart = -1;
      }
      if (cls === CharClass.Punctuation) this.pushWord(normalized.slice(i, i + units), ids);
      else if (cls === CharClass.Word && wordStart < 0) wordStart = i;
      i += units;
    }
    return ids;
  }

  private pushWord(word: string, ids: number[]): void {
    let pieces = this.wordCache.get(word);
    if (pieces === undefined) {
      pieces = this.wordPieces(word);
      if (this.wordCache.size >= this.wordCacheLimit) this.wordCache.clear();
      this.wordCache.set(word, pieces);
    }
    for (let i = 0; i < pieces.length; i++) ids.push(pieces[i]);
  }

  /** BertNormalizer, in the library's order: clean → space CJK → lowercase → strip accents. */
  private normalize(text: string): string {
    const n = this.normalizer;
    // Printable ASCII has nothing to clean, no CJK and no accents: only the case can change.
    if (!NOT_PRINTABLE_ASCII.test(text)) return n.lowercase ? text.toLowerCase() : text;
    if (n.clean_text) text = text.replace(CONTROL, '').replace(WHITESPACE_BUT_SPACE, ' ');
    if (n.handle_chinese_chars) text = text.replace(CJK, ' $& ');
    // strip_accents null means "as lowercase" (only false turns it off with lowercase on).
    const strip = n.lowercase ? n.strip_accents !== false : Boolean(n.strip_accents);
    if (n.lowercase) text = text.toLowerCase();
    if (strip) text = text.normalize('NFD').replace(NONSPACING_MARK, '');
    return text;
  }

  /** Greedy longest-match-first WordPiece over code points; one unmatched position makes the word [UNK]. */
  private wordPieces(word: string): number[] {
    // Without surrogates, UTF-16 units are code points and substrings can be cut directly.
    const chars = SURROGATE.test(word) ? [...word] : undefined;
    const length = chars ? chars.length : word.length;
    if (length > this.maxCharsPerWord) return [this.unkId];
    const piece = chars ? (s: number, e: number) => chars.slice(s, e).join('') : (s: number, e: number) => word.slice(s, e);
    const out: number[] = [];
    for (let start = 0; start < length; ) {
      const prefix = start > 0 ? this.prefix : '';
      let found = -1;
      // A sub-word of more code points than the longest entry has UTF-16 units cannot match: skip those.
      let end = Math.min(length, start + this.maxTokenLength - prefix.length);
      for (; end > start; end--) {
        const id = this.vocab.get(prefix + piece(start, end));
        if (id !== undefined) {
          found = id;
          break;
        }
      }
      if (found < 0) return [this.unkId];
      out.push(found);
      start = end;
    }
    return out;
  }
}
