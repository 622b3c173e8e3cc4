// A small real model for evaluator tests: random static embeddings over the default WordPiece vocabulary.
import { StaticEmbedding } from '../../../sdk/src/modules';
import { SentenceTransformer, type SimilarityFnName } from '../../../sdk/src/sentence-transformer';
import { defaultTokenizer } from '../../../sdk/src/tokenizers';

export function tinyModel(similarityFnName: SimilarityFnName = 'cosine', seed = 3): SentenceTransformer {
  return new SentenceTransformer([StaticEmbedding.random(defaultTokenizer(), { dim: 16, seed })], { similarityFnName });
}

export const SENTENCES = [
  'a man is playing a guitar',
  'a woman is slicing an onion',
  'the cat sits on the mat',
  'children are playing football in the park',
  'a man plays the violin',
  'someone is cutting vegetables',
  'a dog runs across the field',
  'two kids kick a ball outside',
  'the stock market fell sharply today',
  'heavy rain is expected tomorrow',
];
