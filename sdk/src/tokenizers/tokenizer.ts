// A Hugging Face tokenizer.json (WordPiece, WordLevel, BPE, ... as @huggingface/tokenizers reads it)
// with what sentence-transformers adds: truncation to max_seq_length, padding and attention masks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer as HFTokenizer } from '@huggingface/tokenizers';
import { FastWordPiece } from './wordpiece-fast';

export interface TokenizerJSON {
  model: { type?: string; vocab?: unknown; unk_token?: string; [key: string]: unknown };
  added_tokens?: { id: number; content: string; special?: boolean; normalized?: boolean; [key: string]: unknown }[];
  [key: string]: unknown;
}

export type TokenizerConfig = Record<string, unknown>;

export interface EncodeBatchOptions {
  /** Truncate each sequence (special tokens included) to this many tokens. */
  maxLength?: number;
  /** Add the template's special tokens ([CLS] ... [SEP]); default true. */
  addSpecialTokens?: boolean;
}

export interface EncodedBatch {
  /** Token ids, right-padded with the pad id to the longest sequence. */
  inputIds: number[][];
  /** 1 for real tokens, 0 for padding. */
  attentionMask: number[][];
  /** Unpadded lengths. */
  lengths: number[];
}

/** encodeBatch's result as flat row-major arrays ([batch, width]), ready for tf.tensor2d. */
export interface FlatEncodedBatch {
  inputIds: Int32Array;
  attentionMask: Int32Array;
  /** Padded length of every row. */
  width: number;
  /** Unpadded lengths. */
  lengths: number[];
}

const CACHE_LIMIT = 50_000;

export class Tokenizer {
  private readonly hf: HFTokenizer;
  /** BERT's normalizer + pre-tokenizer + WordPiece without the library (same ids), when the file is that shape. */
  private readonly fast: FastWordPiece | undefined;
  /** Template tokens around a single sequence, e.g. [CLS] and [SEP]. */
  private readonly prefix: number[];
  private readonly suffix: number[];
  // Training revisits the same texts every epoch: cache content ids per text (bounded).
  // Int32Array rows: copying them into a batch is a memcpy.
  private readonly cache = new Map<string, Int32Array>();
  readonly padTokenId: number;
  readonly vocabSize: number;

  constructor(
    readonly json: TokenizerJSON,
    readonly config: TokenizerConfig = {},
  ) {
    if (!json || typeof json !== 'object' || !json.model) {
      throw new Error('tokenizer.json has no "model" object: is this a Hugging Face tokenizers file?');
    }
    this.hf = new HFTokenizer(json, config);
    this.fast = FastWordPiece.fromJSON(json, config);
    const probe = this.hf.encode('a', { add_special_tokens: false }).ids;
    const full = this.hf.encode('a', { add_special_tokens: true }).ids;
    const at = indexOfRun(full, probe);
    this.prefix = at < 0 ? [] : full.slice(0, at);
    this.suffix = at < 0 ? [] : full.slice(at + probe.length);
    const vocab = this.hf.get_vocab(true);
    this.vocabSize = Math.max(...vocab.values()) + 1;
    const padToken = typeof config.pad_token === 'string' ? config.pad_token : '[PAD]';
    this.padTokenId = vocab.get(padToken) ?? vocab.get('<pad>') ?? 0;
  }

  /** Reads `tokenizer.json` (and `tokenizer_config.json` if present) from a folder. */
  static fromDir(dir: string): Tokenizer {
    const file = join(dir, 'tokenizer.json');
    let json: TokenizerJSON;
    try {
      json = JSON.parse(readFileSync(file, 'utf8')) as TokenizerJSON;
    } catch (e) {
      throw new Error(`cannot read tokenizer ${file}: ${(e as Error).message}`);
    }
    let config: TokenizerConfig = {};
    try {
      config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as TokenizerConfig;
    } catch {
      // tokenizer_config.json is optional; tokenizer.json alone is a complete tokenizer.
    }
    return new Tokenizer(json, config);
  }

  /** True when content ids come from the built-in WordPiece path (wordpiece-fast.ts) rather than the library. */
  get usesFastWordPiece(): boolean {
    return this.fast !== undefined;
  }

  /** Number of special tokens the template adds to one sequence. */
  get numSpecialTokens(): number {
    return this.prefix.length + this.suffix.length;
  }

  /** Content token ids of one text, without special tokens. */
  contentIds(text: string): number[] {
    return Array.from(this.cachedContentIds(text));
  }

  /** contentIds as the cached Int32Array (not to be modified). */
  private cachedContentIds(text: string): Int32Array {
    let ids = this.cache.get(text);
    if (!ids) {
      ids = Int32Array.from(this.fast?.contentIds(text) ?? this.hf.encode(text, { add_special_tokens: false }).ids);
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(text, ids);
    }
    return ids;
  }

  /** Ids of one text, truncated to maxLength with the special tokens kept (as HF truncation does). */
  encode(text: string, options: EncodeBatchOptions = {}): number[] {
    const content = this.cachedContentIds(checkText(text));
    const { prefix, suffix, room } = this.template(options);
    return [...prefix, ...content.subarray(0, room), ...suffix];
  }

  /** Tokenizes, truncates and right-pads a batch. */
  encodeBatch(texts: readonly string[], options: EncodeBatchOptions = {}): EncodedBatch {
    const { inputIds, attentionMask, width, lengths } = this.encodeBatchFlat(texts, options);
    const rows = (flat: Int32Array) => lengths.map((_, i) => Array.from(flat.subarray(i * width, (i + 1) * width)));
    return { inputIds: rows(inputIds), attentionMask: rows(attentionMask), lengths };
  }

  /** encodeBatch as row-major [texts.length, width] Int32Arrays: what tensors are made from, without nested arrays. */
  encodeBatchFlat(texts: readonly string[], options: EncodeBatchOptions = {}): FlatEncodedBatch {
    const n = texts.length;
    const contents: Int32Array[] = new Array(n);
    const { prefix, suffix, room } = this.template(options);
    const lengths: number[] = new Array(n);
    let width = 1;
    for (let i = 0; i < n; i++) {
      try {
        contents[i] = this.cachedContentIds(checkText(texts[i]));
      } catch (e) {
        throw new Error(`text ${i}: ${(e as Error).message}`);
      }
      lengths[i] = prefix.length + Math.min(contents[i].length, room) + suffix.length;
      if (lengths[i] > width) width = lengths[i];
    }
    // One allocation for both (views of halves of one buffer): a batch's arrays are small, and allocating
    // them costs about as much as filling them.
    const both = new Int32Array(2 * n * width);
    const inputIds = both.subarray(0, n * width);
    const attentionMask = both.subarray(n * width);
    if (this.padTokenId !== 0) inputIds.fill(this.padTokenId);
    for (let i = 0; i < n; i++) {
      const at = i * width;
      const content = contents[i];
      const kept = Math.min(content.length, room);
      attentionMask.fill(1, at, at + lengths[i]);
      inputIds.set(prefix, at);
      inputIds.set(kept === content.length ? content : content.subarray(0, kept), at + prefix.length);
      inputIds.set(suffix, at + prefix.length + kept);
    }
    return { inputIds, attentionMask, width, lengths };
  }

  /** The special tokens around one sequence and the room left for content under options.maxLength. */
  private template(options: EncodeBatchOptions): { prefix: readonly number[]; suffix: readonly number[]; room: number } {
    const special = options.addSpecialTokens ?? true;
    const prefix = special ? this.prefix : [];
    const suffix = special ? this.suffix : [];
    const room = options.maxLength === undefined ? Infinity : Math.max(0, options.maxLength - prefix.length - suffix.length);
    return { prefix, suffix, room };
  }

  decode(ids: readonly number[], options: { skipSpecialTokens?: boolean } = {}): string {
    return this.hf.decode(ids.slice(), { skip_special_tokens: options.skipSpecialTokens ?? true });
  }

  tokenToId(token: string): number | undefined {
    return this.hf.token_to_id(token);
  }

  idToToken(id: number): string | undefined {
    return this.hf.id_to_token(id);
  }

  /** Token strings of a text (content only), for inspection. */
  tokenize(text: string): string[] {
    return this.hf.tokenize(text, { add_special_tokens: false });
  }
}

function checkText(text: unknown): string {
  if (typeof text !== 'string') throw new Error(`tokenizer expects a string; got ${text === null ? 'null' : typeof text}`);
  return text;
}

function indexOfRun(haystack: number[], needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
