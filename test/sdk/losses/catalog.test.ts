import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lossCatalog, lossCatalogEntry } from '../../../sdk/src/losses/catalog';
import type { LabelType, TextFormat } from '../../../sdk/src/losses/catalog-types';
import { lossModule } from './loss-files';

// The Loss Overview's tables (sentence-transformers docs, "Loss Overview"), transcribed row by row:
// texts and labels as the overview writes them, and the losses of the row in the overview's order.
const OVERVIEW_ROWS: { table: string; texts: string; labels: string; losses: string[] }[] = [
  { table: 'standard', texts: 'single sentences', labels: 'class', losses: ['BatchAllTripletLoss', 'BatchHardSoftMarginTripletLoss', 'BatchHardTripletLoss', 'BatchSemiHardTripletLoss'] },
  { table: 'standard', texts: 'single sentences', labels: 'none', losses: ['ContrastiveTensionLoss', 'DenoisingAutoEncoderLoss'] },
  { table: 'standard', texts: '(anchor, anchor) pairs', labels: 'none', losses: ['ContrastiveTensionLossInBatchNegatives'] },
  { table: 'standard', texts: '(damaged_sentence, original_sentence) pairs', labels: 'none', losses: ['DenoisingAutoEncoderLoss'] },
  { table: 'standard', texts: '(sentence_A, sentence_B) pairs', labels: 'class', losses: ['SoftmaxLoss'] },
  {
    table: 'standard',
    texts: '(anchor, positive) pairs',
    labels: 'none',
    losses: ['CachedMultipleNegativesRankingLoss', 'MultipleNegativesRankingLoss', 'MultipleNegativesSymmetricRankingLoss', 'MegaBatchMarginLoss', 'GISTEmbedLoss'],
  },
  { table: 'standard', texts: '(anchor, positive/negative) pairs', labels: '1 if positive, 0 if negative', losses: ['ContrastiveLoss', 'OnlineContrastiveLoss'] },
  { table: 'standard', texts: '(sentence_A, sentence_B) pairs', labels: 'float similarity score', losses: ['CoSENTLoss', 'AnglELoss', 'CosineSimilarityLoss'] },
  {
    table: 'standard',
    texts: '(anchor, positive, negative) triplets',
    labels: 'none',
    losses: ['CachedMultipleNegativesRankingLoss', 'MultipleNegativesRankingLoss', 'TripletLoss', 'GISTEmbedLoss'],
  },
  { table: 'modifier', texts: 'any', labels: 'any', losses: ['MatryoshkaLoss', 'AdaptiveLayerLoss', 'Matryoshka2dLoss'] },
  { table: 'distillation', texts: 'single sentences', labels: 'model sentence embeddings', losses: ['MSELoss'] },
  {
    table: 'distillation',
    texts: '(query, passage_one, passage_two) triplets',
    labels: 'gold_sim(query, passage_one) - gold_sim(query, passage_two)',
    losses: ['MarginMSELoss'],
  },
];

// The overview's words → the catalog's vocabulary.
const TEXTS: Record<string, TextFormat> = {
  'single sentences': 'single',
  '(anchor, anchor) pairs': 'anchor-anchor',
  '(damaged_sentence, original_sentence) pairs': 'damaged-original',
  '(sentence_A, sentence_B) pairs': 'pair',
  '(anchor, positive) pairs': 'anchor-positive',
  '(anchor, positive/negative) pairs': 'pair',
  '(anchor, positive, negative) triplets': 'anchor-positive-negative',
  '(query, passage_one, passage_two) triplets': 'query-passage-passage',
  any: 'any',
};
const LABELS: Record<string, LabelType> = {
  class: 'class',
  none: 'none',
  '1 if positive, 0 if negative': 'binary',
  'float similarity score': 'float',
  any: 'any',
  'model sentence embeddings': 'embeddings',
  'gold_sim(query, passage_one) - gold_sim(query, passage_two)': 'margin',
};

// "Commonly used Loss Functions" section of the overview.
const COMMONLY_USED = ['MultipleNegativesRankingLoss', 'CachedMultipleNegativesRankingLoss', 'CosineSimilarityLoss', 'CoSENTLoss', 'AnglELoss'];

// Losses of the current sentence-transformers beyond the overview's tables.
const EXTRAS = ['CachedMultipleNegativesSymmetricRankingLoss', 'CachedGISTEmbedLoss', 'DistillKLDivLoss', 'EmbedDistillLoss', 'GlobalOrthogonalRegularizationLoss'];

const overviewOrder = [...new Set(OVERVIEW_ROWS.flatMap((r) => r.losses))];

describe('lossCatalog', () => {
  it('holds the overview losses in the overview order, then the newer ones', () => {
    assert.equal(overviewOrder.length, 24);
    assert.deepEqual(
      lossCatalog.map((e) => e.name),
      [...overviewOrder, ...EXTRAS],
    );
  });

  for (const row of OVERVIEW_ROWS) {
    it(`row "${row.texts}" + "${row.labels}": ${row.losses.join(', ')}`, () => {
      const format = { texts: TEXTS[row.texts], labels: LABELS[row.labels] };
      for (const name of row.losses) {
        const entry = lossCatalogEntry(name);
        assert.ok(
          entry.formats.some((f) => f.texts === format.texts && f.labels === format.labels),
          `${name} lacks the format ${JSON.stringify(format)}; has ${JSON.stringify(entry.formats)}`,
        );
        assert.equal(entry.category, row.table, `${name} category`);
        assert.equal(entry.inOverview, true, `${name} inOverview`);
      }
    });
  }

  it('flags exactly the commonly used losses; the newer ones are not in the overview', () => {
    assert.deepEqual(lossCatalog.filter((e) => e.commonlyUsed).map((e) => e.name).sort(), [...COMMONLY_USED].sort());
    for (const name of EXTRAS) assert.equal(lossCatalogEntry(name).inOverview, false, name);
  });

  it('has the recommended samplers of LOSSES.md', () => {
    const noDuplicates = ['MultipleNegativesRankingLoss', 'CachedMultipleNegativesRankingLoss', 'MultipleNegativesSymmetricRankingLoss', 'CachedMultipleNegativesSymmetricRankingLoss', 'GISTEmbedLoss', 'CachedGISTEmbedLoss', 'MegaBatchMarginLoss'];
    const groupByLabel = ['BatchAllTripletLoss', 'BatchHardTripletLoss', 'BatchHardSoftMarginTripletLoss', 'BatchSemiHardTripletLoss'];
    for (const e of lossCatalog) {
      const expected = noDuplicates.includes(e.name) ? 'no_duplicates' : groupByLabel.includes(e.name) ? 'group_by_label' : 'batch_sampler';
      assert.equal(e.recommendedSampler, expected, e.name);
    }
  });

  it('every entry is the catalogEntry exported by its own loss file, with a summary and a sane column range', () => {
    for (const entry of lossCatalog) {
      const mod = lossModule(entry.name);
      assert.ok(mod, `no loss file exports the catalog entry of ${entry.name}`);
      assert.equal(mod.exports.catalogEntry, entry, `${entry.name}: the catalog holds a copy, not ${mod.file}'s catalogEntry`);
      assert.ok(entry.summary.length > 20, `${entry.name} has no summary`);
      assert.ok(entry.columns.min >= 1 && (entry.columns.max === null || entry.columns.max >= entry.columns.min), `${entry.name} columns ${JSON.stringify(entry.columns)}`);
    }
  });

  it('lossCatalogEntry names the known losses when the name is unknown', () => {
    assert.throws(() => lossCatalogEntry('FooLoss'), /no loss named 'FooLoss' in the catalog; known: BatchAllTripletLoss, /);
  });
});
