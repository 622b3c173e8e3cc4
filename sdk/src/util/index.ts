// Embedding utilities as in sentence-transformers' util: search, mining, clustering, quantization.
export { semanticSearch } from './semantic-search';
export type { SearchHit, ScoreFunction, SemanticSearchOptions } from './semantic-search';
export { paraphraseMining, paraphraseMiningEmbeddings } from './paraphrase-mining';
export type { ParaphrasePair, ParaphraseMiningOptions, ParaphraseMiningEmbeddingsOptions } from './paraphrase-mining';
export { communityDetection } from './community-detection';
export type { CommunityDetectionOptions } from './community-detection';
export { quantizeEmbeddings } from './quantize-embeddings';
export type { QuantizationPrecision, QuantizeOptions } from './quantize-embeddings';
export type { EmbeddingsInput } from './embeddings-input';
