// sentence-tfjs: sentence-embedding models, the sentence-transformers losses, datasets, a Trainer,
// evaluators and plots, on TensorFlow.js. Import everything from here.
import * as tf from '@tensorflow/tfjs';
import { ready } from './backend/select';

/** The TensorFlow.js instance the SDK uses (one engine: use this one for your own tensors). */
export { tf };

export { ready, backendInfo, useBackend, BACKEND_ENV_VAR } from './backend';
export type { BackendInfo, BackendName } from './backend';

export { Tokenizer, defaultTokenizer, wordLevelTokenizer, DEFAULT_TOKENIZER_DIR } from './tokenizers';
export type { TokenizerJSON, TokenizerConfig, EncodeBatchOptions, EncodedBatch, FlatEncodedBatch } from './tokenizers';

export * from './modules';
export { SentenceTransformer, SIMILARITY_FN_NAMES } from './sentence-transformer';
export type { SimilarityFnName, EncodeOptions, ConvertTo, EncodeResult, SentenceTransformerOptions } from './sentence-transformer';

export { encodeSafetensors, decodeSafetensors, readSafetensorsFile } from './io/safetensors';
export type { SafetensorsDType, RawTensor, DecodedSafetensors } from './io/safetensors';

export { Rng } from './util/random';
export type { RandomSource } from './util/random';
export { stopGradient } from './util/stop-gradient';

export * as losses from './losses';
export * as functional from './losses/functional';
export { SentenceLoss, lossCatalog, lossCatalogEntry, recommendLosses, describeLossData } from './losses';
export type { Batch, LossCatalogEntry, LossFormat, TextFormat, LabelType, LossRecommendations, LossRecommendation, ConversionSuggestion } from './losses';
export * from './data';
export * from './training';
export * from './evaluation';
export * from './plots';
export * from './progress';
export * from './util';

// Choose the backend at import; a failure surfaces when ready() (or any async entry point) is awaited.
void ready();
