// A Hugging Face tokenizer.json (WordPiece, WordLevel, BPE, ... as @huggingface/tokenizers reads it)
// with what sentence-transformers adds: truncation to max_seq_length, padding and attention masks.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tokenizer as HFTokenizer } from '@huggingface/tokenizers';

export interface TokenizerJSON {
  model: { type?: string; vocab?: unknown; unk_token?: string };
  added_tokens?: { id: number; content: string; special?: boolean }[];
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

const CACHE_LIMIT = 50_000;

export class Tokenizer {
  private readonly hf: HFTokenizer;
  /** Template tokens around a single sequence, e.g. [CLS] and [SEP]. */
  private readonly prefix: number[];
  private readonly suffix: number[];
  // Training revisits the same texts every epoch: cache content ids per text (bounded).
  private readonly cache = new Map<string, number[]>();
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

  /** Number of special tokens the template adds to one sequence. */
  get numSpecialTokens(): number {
    return this.prefix.length + this.suffix.length;
  }

  /** Content token ids of one text, without special tokens. */
  contentIds(text: string): number[] {
    let ids = this.cache.get(text);
    if (!ids) {
      ids = this.hf.encode(text, { add_special_tokens: false }).ids;
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(text, ids);
    }
    return ids;
  }

  /** Ids of one text, truncated to maxLength with the special tokens kept (as HF truncation does). */
  encode(text: string, options: EncodeBatchOptions = {}): number[] {
    if (typeof text !== 'string') throw new Error(`tokenizer expects a string; got ${text === null ? 'null' : typeof text}`);
    const special = options.addSpecialTokens ?? true;
    const content = this.contentIds(text);
    const room = options.maxLength === undefined ? Infinity : options.maxLength - (special ? this.numSpecialTokens : 0);
    const kept = content.length > room ? content.slice(0, Math.max(0, room)) : content;
    return special ? [...this.prefix, ...kept, ...this.suffix] : kept.slice();
  }

  /** Tokenizes, truncates and right-pads a batch. */
  encodeBatch(texts: readonly string[], options: EncodeBatchOptions = {}): EncodedBatch {
    const seqs = texts.map((t, i) => {
      try {
        return this.encode(t, options);
      } catch (e) {
        throw new Error(`text ${i}: ${(e as Error).message}`);
      }
    });
    const width = Math.max(1, ...seqs.map((s) => s.length));
    const inputIds = seqs.map((s) => (s.length === width ? s : s.concat(Array(width - s.length).fill(this.padTokenId))));
    const attentionMask = seqs.map((s) => Array.from({ length: width }, (_, j) => (j < s.length ? 1 : 0)));
    return { inputIds, attentionMask, lengths: seqs.map((s) => s.length) };
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

function indexOfRun(haystack: number[], needle: number[]): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}
