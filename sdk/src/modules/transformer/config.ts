// BERT architecture hyperparameters, with Hugging Face config.json names on disk.

export interface BertConfig {
  vocabSize: number;
  hiddenSize: number;
  numLayers: number;
  numHeads: number;
  intermediateSize: number;
  maxPositionEmbeddings: number;
  typeVocabSize: number;
  hiddenDropoutProb: number;
  attentionProbsDropoutProb: number;
  layerNormEps: number;
  initializerRange: number;
  padTokenId: number;
}

/** Sizes a notebook can name instead of writing a config. */
export const BERT_PRESETS = {
  /** 2 layers, 64 hidden: unit tests and quick demos. */
  tiny: { hiddenSize: 64, numLayers: 2, numHeads: 2, intermediateSize: 256 },
  /** 4 layers, 256 hidden: notebooks on a laptop CPU. */
  small: { hiddenSize: 256, numLayers: 4, numHeads: 4, intermediateSize: 1024 },
  /** all-MiniLM-L6-v2's shape: 6 layers, 384 hidden, 12 heads. */
  'minilm-l6': { hiddenSize: 384, numLayers: 6, numHeads: 12, intermediateSize: 1536 },
} as const;

export type BertPreset = keyof typeof BERT_PRESETS;

export function bertConfig(partial: Partial<BertConfig> & { vocabSize: number }): BertConfig {
  const c: BertConfig = {
    hiddenSize: 384,
    numLayers: 6,
    numHeads: 12,
    intermediateSize: 1536,
    maxPositionEmbeddings: 512,
    typeVocabSize: 2,
    hiddenDropoutProb: 0.1,
    attentionProbsDropoutProb: 0.1,
    layerNormEps: 1e-12,
    initializerRange: 0.02,
    padTokenId: 0,
    ...partial,
  };
  for (const k of ['vocabSize', 'hiddenSize', 'numLayers', 'numHeads', 'intermediateSize', 'maxPositionEmbeddings'] as const) {
    if (!Number.isInteger(c[k]) || c[k] <= 0) throw new Error(`BERT config: ${k} must be a positive integer; got ${c[k]}`);
  }
  if (c.hiddenSize % c.numHeads !== 0) {
    throw new Error(`BERT config: hiddenSize ${c.hiddenSize} is not divisible by numHeads ${c.numHeads}`);
  }
  return c;
}

/** The Hugging Face config.json of a BertModel. */
export function toHFConfig(c: BertConfig): Record<string, unknown> {
  return {
    architectures: ['BertModel'],
    model_type: 'bert',
    vocab_size: c.vocabSize,
    hidden_size: c.hiddenSize,
    num_hidden_layers: c.numLayers,
    num_attention_heads: c.numHeads,
    intermediate_size: c.intermediateSize,
    hidden_act: 'gelu',
    hidden_dropout_prob: c.hiddenDropoutProb,
    attention_probs_dropout_prob: c.attentionProbsDropoutProb,
    max_position_embeddings: c.maxPositionEmbeddings,
    type_vocab_size: c.typeVocabSize,
    initializer_range: c.initializerRange,
    layer_norm_eps: c.layerNormEps,
    pad_token_id: c.padTokenId,
    position_embedding_type: 'absolute',
  };
}

export function fromHFConfig(json: Record<string, unknown>, file: string): BertConfig {
  const modelType = json.model_type;
  if (modelType !== undefined && modelType !== 'bert') {
    throw new Error(`${file}: model_type '${String(modelType)}' is not supported (only BERT-architecture encoders: model_type 'bert')`);
  }
  if (json.hidden_act !== undefined && json.hidden_act !== 'gelu') {
    throw new Error(`${file}: hidden_act '${String(json.hidden_act)}' is not supported (only 'gelu')`);
  }
  const num = (key: string, fallback?: number): number => {
    const v = json[key] ?? fallback;
    if (typeof v !== 'number') throw new Error(`${file}: missing number '${key}'`);
    return v;
  };
  return bertConfig({
    vocabSize: num('vocab_size'),
    hiddenSize: num('hidden_size'),
    numLayers: num('num_hidden_layers'),
    numHeads: num('num_attention_heads'),
    intermediateSize: num('intermediate_size'),
    maxPositionEmbeddings: num('max_position_embeddings', 512),
    typeVocabSize: num('type_vocab_size', 2),
    hiddenDropoutProb: num('hidden_dropout_prob', 0.1),
    attentionProbsDropoutProb: num('attention_probs_dropout_prob', 0.1),
    layerNormEps: num('layer_norm_eps', 1e-12),
    initializerRange: num('initializer_range', 0.02),
    padTokenId: num('pad_token_id', 0),
  });
}
