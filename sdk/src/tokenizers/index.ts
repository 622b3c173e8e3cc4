export { Tokenizer } from './tokenizer';
export type { TokenizerJSON, TokenizerConfig, EncodeBatchOptions, EncodedBatch, FlatEncodedBatch } from './tokenizer';
export { defaultTokenizer, DEFAULT_TOKENIZER_DIR } from './default';
export { wordLevelTokenizer } from './word-level';
