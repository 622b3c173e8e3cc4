// The vocabulary of the Loss Overview's tables, as data: every loss file exports one `catalogEntry`.

/** Text layouts of the overview's "Texts" column. */
export type TextFormat =
  | 'single' // single sentences
  | 'anchor-anchor' // (anchor, anchor) pairs
  | 'damaged-original' // (damaged_sentence, original_sentence) pairs
  | 'pair' // (sentence_A, sentence_B) pairs
  | 'anchor-positive' // (anchor, positive) pairs
  | 'anchor-positive-negative' // (anchor, positive, negative) triplets
  | 'anchor-positive-negatives' // (anchor, positive, negative_1, ..., negative_n)
  | 'query-passage-passage' // (query, passage_one, passage_two) triplets, distillation
  | 'any';

/** The overview's "Labels" column. */
export type LabelType =
  | 'none'
  | 'class' // integer class ids
  | 'binary' // 1 if positive, 0 if negative
  | 'float' // float similarity score
  | 'embeddings' // model sentence embeddings (distillation)
  | 'margin' // gold_sim(q, p1) - gold_sim(q, p2)
  | 'scores' // teacher scores per candidate
  | 'any';

export type LossCategory = 'standard' | 'modifier' | 'distillation' | 'regularization';

export type RecommendedSampler = 'batch_sampler' | 'no_duplicates' | 'group_by_label';

export interface LossFormat {
  texts: TextFormat;
  labels: LabelType;
}

export interface LossCatalogEntry {
  /** The class name, as in sentence-transformers. */
  name: string;
  category: LossCategory;
  /** Rows of the overview's tables this loss appears in (or would, for the newer losses). */
  formats: LossFormat[];
  /** Named in the overview's "Commonly used" section. */
  commonlyUsed: boolean;
  /** Listed in the Loss Overview's tables (false for the newer losses beyond it). */
  inOverview: boolean;
  recommendedSampler: RecommendedSampler;
  /** Text columns accepted: min and max (null = no upper bound). */
  columns: { min: number; max: number | null };
  /** One sentence: what it optimises and when to pick it. */
  summary: string;
}

/** The overview's words for each text layout. */
export const textFormatDescription: Readonly<Record<TextFormat, string>> = {
  single: 'single sentences',
  'anchor-anchor': '(anchor, anchor) pairs',
  'damaged-original': '(damaged_sentence, original_sentence) pairs',
  pair: '(sentence_A, sentence_B) pairs',
  'anchor-positive': '(anchor, positive) pairs',
  'anchor-positive-negative': '(anchor, positive, negative) triplets',
  'anchor-positive-negatives': '(anchor, positive, negative_1, ..., negative_n) tuples',
  'query-passage-passage': '(query, passage_one, passage_two) triplets',
  any: 'any texts',
};

/** The overview's words for each label type. */
export const labelTypeDescription: Readonly<Record<LabelType, string>> = {
  none: 'no label',
  class: 'class labels',
  binary: '1 if positive, 0 if negative',
  float: 'float similarity score',
  embeddings: 'model sentence embeddings',
  margin: 'gold_sim(query, passage_one) - gold_sim(query, passage_two)',
  scores: 'teacher scores per candidate',
  any: 'any label',
};

/** The overview's single modifier row (any texts, any labels), shared by MatryoshkaLoss, AdaptiveLayerLoss and Matryoshka2dLoss. */
export function modifierCatalogEntry(name: string, summary: string): LossCatalogEntry {
  return {
    name,
    category: 'modifier',
    formats: [{ texts: 'any', labels: 'any' }],
    commonlyUsed: false,
    inOverview: true,
    // A modifier follows the sampler of the loss it wraps; the entry names the default.
    recommendedSampler: 'batch_sampler',
    columns: { min: 1, max: null },
    summary,
  };
}
