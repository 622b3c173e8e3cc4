// Reference values written by test/reference/embedding-utils.py (sentence-transformers' util code in torch/numpy).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface EmbeddingUtilsFixture {
  semantic_search: {
    queries: number[][];
    corpus: number[][];
    top_k: number;
    hits: { corpus_id: number; score: number }[][];
    hits_chunked: { corpus_id: number; score: number }[][];
  };
  paraphrase_mining: { embeddings: number[][]; top_k: number; max_pairs: number; pairs: [number, number, number][] };
  community_detection: {
    embeddings: number[][];
    cases: { threshold: number; min_community_size: number; batch_size: number; communities: number[][] }[];
  };
  quantization: Record<'embeddings' | 'calibration' | 'int8' | 'uint8' | 'int8_calibrated' | 'uint8_ranges' | 'binary' | 'ubinary', number[][]>;
  pca: { x: number[][]; projection: number[][]; explained_variance_ratio: number[] };
}

export const utilFixture: EmbeddingUtilsFixture = JSON.parse(
  readFileSync(join(__dirname, '../../reference/fixtures/embedding-utils.json'), 'utf8'),
);
