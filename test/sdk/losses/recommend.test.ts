import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeLossData, recommendLosses, type RecommendInput } from '../../../sdk/src/losses/recommend';
import { lossCatalog } from '../../../sdk/src/losses/catalog';
import { Dataset } from '../../../sdk/src/data/dataset';
import { danfo } from '../../../sdk/src/data/dataframe';

const MODIFIERS = ['MatryoshkaLoss', 'AdaptiveLayerLoss', 'Matryoshka2dLoss'];
const catalogOrder = lossCatalog.map((e) => e.name);

/** Recommended names, checked to follow the catalog (overview) order. */
function names(data: RecommendInput, options = {}): string[] {
  const got = recommendLosses(data, options).names();
  const positions = got.map((n) => catalogOrder.indexOf(n));
  assert.deepEqual(positions, [...positions].sort((a, b) => a - b), `not in overview order: ${got.join(', ')}`);
  return got;
}

function includesAll(got: string[], expected: string[], what: string): void {
  const missing = expected.filter((n) => !got.includes(n));
  assert.deepEqual(missing, [], `${what}: missing ${missing.join(', ')} in ${got.join(', ')}`);
}

// One small frame per row of the Loss Overview's tables.
const texts = ['a cat sits on the mat', 'dogs bark', 'the sun is hot', 'rain falls'];
const others = ['a kitten rests', 'a dog barks loudly', 'it is sunny', 'it is raining'];
const thirds = ['stocks fell', 'a cake recipe', 'snow in june', 'a chess move'];

describe('recommendLosses: every overview row', () => {
  it('single sentences + class → the batch triplet losses (and triplet conversions)', () => {
    const r = recommendLosses({ columns: { text: texts, label: [0, 1, 0, 2] } });
    const got = names({ columns: { text: texts, label: [0, 1, 0, 2] } });
    includesAll(got, ['BatchAllTripletLoss', 'BatchHardSoftMarginTripletLoss', 'BatchHardTripletLoss', 'BatchSemiHardTripletLoss', ...MODIFIERS], 'single + class');
    assert.ok(!got.includes('MultipleNegativesRankingLoss'));
    const toTriplets = r.conversions.find((c) => c.converter === 'classToTriplets');
    assert.equal(toTriplets?.call, 'classToTriplets(data)');
    includesAll(toTriplets!.opens, ['MultipleNegativesRankingLoss', 'TripletLoss'], 'classToTriplets opens');
    assert.equal(r.data.labelSummary, '3 integer classes (0, 1, 2)');
  });

  it('single sentences, no label → ContrastiveTension and TSDAE, each with the converter that makes its pairs', () => {
    const r = recommendLosses({ columns: { sentence: texts } });
    includesAll(r.names(), ['ContrastiveTensionLoss', 'DenoisingAutoEncoderLoss', 'ContrastiveTensionLossInBatchNegatives', ...MODIFIERS], 'single');
    const byName = Object.fromEntries(r.losses.map((l) => [l.name, l]));
    assert.equal(byName.ContrastiveTensionLoss.prepare, "contrastiveTensionPairs(data, { layout: 'classic' })");
    assert.equal(byName.DenoisingAutoEncoderLoss.prepare, 'tsdaeNoise(data)');
    assert.equal(byName.ContrastiveTensionLossInBatchNegatives.prepare, undefined);
    assert.match(byName.DenoisingAutoEncoderLoss.reason, /^\(sentence\) as single sentences, no label; make its training pairs with tsdaeNoise\(data\)$/);
    assert.deepEqual(
      r.conversions.map((c) => c.converter),
      ['contrastiveTensionPairs', 'addTeacherEmbeddings'],
    );
  });

  it('(anchor, anchor) pairs → ContrastiveTensionLossInBatchNegatives', () => {
    const d = describeLossData({ columns: { anchor: texts, positive: texts } });
    assert.ok(d.textFormats.includes('anchor-anchor'));
    includesAll(names({ columns: { anchor: texts, positive: texts } }), ['ContrastiveTensionLossInBatchNegatives'], 'anchor-anchor');
    assert.ok(!names({ columns: { anchor: texts, positive: others } }).includes('ContrastiveTensionLossInBatchNegatives'));
  });

  it('(damaged_sentence, original_sentence) pairs → DenoisingAutoEncoderLoss without a preparation step', () => {
    // Words deleted, order kept (TSDAE's noise).
    const r = recommendLosses({ columns: { damaged_sentence: ['cat on mat', 'dogs', 'sun hot', 'rain falls'], original_sentence: texts } });
    const dae = r.losses.find((l) => l.name === 'DenoisingAutoEncoderLoss');
    assert.ok(dae, r.names().join(', '));
    assert.equal(dae.prepare, undefined);
    assert.equal(dae.format.texts, 'damaged-original');
    // Words out of order are no deletion noise.
    assert.ok(!describeLossData({ columns: { a: ['mat the'], b: ['the mat'] } }).textFormats.includes('damaged-original'));
  });

  it('(sentence_A, sentence_B) pairs + class → SoftmaxLoss, and NLI conversions for 3 classes', () => {
    const r = recommendLosses({ columns: { premise: texts, hypothesis: others, label: [0, 1, 2, 0] } });
    includesAll(r.names(), ['SoftmaxLoss', ...MODIFIERS], 'pairs + class');
    assert.ok(!r.names().includes('CoSENTLoss'), 'integer labels named "label" are classes, not scores');
    assert.deepEqual(r.conversions.map((c) => c.converter), ['nliToTriplets', 'nliToPairs', 'pairClassToTriplets']);
  });

  it('(anchor, positive) pairs → the in-batch negative losses, and hard-negative mining', () => {
    const r = recommendLosses({ columns: { anchor: texts, positive: others } });
    includesAll(r.names(), ['CachedMultipleNegativesRankingLoss', 'MultipleNegativesRankingLoss', 'MultipleNegativesSymmetricRankingLoss', 'MegaBatchMarginLoss', 'GISTEmbedLoss'], 'pairs');
    const mining = r.conversions.find((c) => c.converter === 'mineHardNegatives');
    assert.deepEqual(mining?.opens, ['TripletLoss']);
    assert.equal(mining?.call, 'await mineHardNegatives(data, model)');
  });

  it('(anchor, positive/negative) pairs + 1/0 → ContrastiveLoss, OnlineContrastiveLoss (and the 0/1 labels as classes and scores)', () => {
    const r = recommendLosses({ columns: { sentence1: texts, sentence2: others, label: [1, 0, 1, 0] } });
    includesAll(r.names(), ['ContrastiveLoss', 'OnlineContrastiveLoss', 'SoftmaxLoss', 'CoSENTLoss', 'CosineSimilarityLoss'], 'pairs + 0/1');
    assert.equal(r.data.labelKind, 'binary');
    assert.match(r.losses.find((l) => l.name === 'ContrastiveLoss')!.reason, /label 'label' as 1 = positive \/ 0 = negative \(0\/1\)/);
    assert.deepEqual(r.conversions.find((c) => c.converter === 'binaryToPositivePairs')?.opens.slice(0, 2), ['CachedMultipleNegativesRankingLoss', 'MultipleNegativesRankingLoss']);
  });

  it('(sentence_A, sentence_B) pairs + float similarity score → CoSENT, AnglE, CosineSimilarity; scoresToBinary opens the 0/1 losses', () => {
    const r = recommendLosses({ columns: { sentence1: texts, sentence2: others, score: [0.1, 0.9, 0.45, 1] } });
    includesAll(r.names(), ['CoSENTLoss', 'AnglELoss', 'CosineSimilarityLoss'], 'pairs + float');
    assert.ok(!r.names().includes('ContrastiveLoss'));
    const c = r.conversions.find((x) => x.converter === 'scoresToBinary');
    assert.equal(c?.call, 'scoresToBinary(data, { threshold: 0.5 })');
    includesAll(c!.opens, ['ContrastiveLoss', 'OnlineContrastiveLoss'], 'scoresToBinary opens');
    // STS-style integer scores 0..5 in a "score" column are scores too (threshold at the middle).
    const sts = recommendLosses({ columns: { sentence1: texts, sentence2: others, score: [0, 5, 3, 2] } });
    includesAll(sts.names(), ['CoSENTLoss', 'SoftmaxLoss'], 'integer scores');
    assert.equal(sts.conversions.find((x) => x.converter === 'scoresToBinary')?.call, 'scoresToBinary(data, { threshold: 2.5 })');
  });

  it('(anchor, positive, negative) triplets → CMNRL, MNRL, TripletLoss, GIST; teacher margins open MarginMSE', () => {
    const r = recommendLosses({ columns: { anchor: texts, positive: others, negative: thirds } });
    includesAll(r.names(), ['CachedMultipleNegativesRankingLoss', 'MultipleNegativesRankingLoss', 'TripletLoss', 'GISTEmbedLoss', ...MODIFIERS], 'triplets');
    assert.deepEqual(r.conversions.map((c) => [c.call, c.opens]), [['await addTeacherMargins(data, teacher)', ['MarginMSELoss']]]);
    // Four text columns: no more TripletLoss.
    const four = names({ columns: { anchor: texts, positive: others, n1: thirds, n2: others } });
    assert.ok(four.includes('MultipleNegativesRankingLoss') && !four.includes('TripletLoss'), four.join(', '));
  });

  it('single sentences + model sentence embeddings → MSELoss (also for source + translation columns)', () => {
    const emb = texts.map((_, i) => [i, 1, 2]);
    includesAll(names({ columns: { english: texts, label: emb } }), ['MSELoss', ...MODIFIERS], 'embeddings');
    includesAll(names({ columns: { english: texts, german: others, label: emb } }), ['MSELoss'], 'multilingual');
  });

  it('(query, passage_one, passage_two) triplets + margin → MarginMSELoss; per-candidate vectors too', () => {
    includesAll(names({ columns: { query: texts, pos: others, neg: thirds, label: [0.5, -0.1, 2, 0.3] } }), ['MarginMSELoss'], 'margin');
    const margins = texts.map(() => [0.1, 0.2]);
    includesAll(names({ columns: { query: texts, pos: others, n1: thirds, n2: thirds, label: margins } }), ['MarginMSELoss'], 'margins per negative');
  });
});

describe('recommendLosses: inputs and display', () => {
  it('reads a Dataset and a danfo DataFrame like plain columns', () => {
    const columns = { sentence1: texts, sentence2: others, score: [0.1, 0.9, 0.45, 1] };
    const plain = recommendLosses({ columns }).names();
    assert.deepEqual(recommendLosses(Dataset.fromColumns(columns)).names(), plain);
    const df = new (danfo().DataFrame)(columns);
    assert.deepEqual(recommendLosses(df).names(), plain);
  });

  it('honours labelColumn (a name, or null for none)', () => {
    const columns = { a: texts, b: others, target: [0.2, 0.4, 0.6, 0.8] };
    assert.throws(() => recommendLosses({ columns }), /column 'target' row 0 is not text \(number 0.2\).*name the label column with \{ labelColumn \}/);
    assert.ok(recommendLosses({ columns }, { labelColumn: 'target' }).names().includes('CoSENTLoss'));
    const d = describeLossData({ columns: { text: texts, label: texts } }, { labelColumn: null });
    assert.deepEqual([d.textColumns, d.labelColumn], [['text', 'label'], null]);
  });

  it('errors name the column, the row and what was found', () => {
    assert.throws(() => recommendLosses({ columns: { text: texts } }, { labelColumn: 'score' }), /no label column 'score' \(columns: text\)/);
    assert.throws(() => recommendLosses({ columns: { text: ['a', 'b'], label: [1, 'x'] } }), /label column 'label' mixes number and string values/);
    assert.throws(() => recommendLosses({ columns: { text: ['a', 'b'], label: [[1, 2], [3]] } }), /holds vectors of different lengths \(2, 1\)/);
    assert.throws(() => recommendLosses({ columns: { text: ['a'], label: [null] } }), /label column 'label' row 0 holds null/);
    assert.throws(() => recommendLosses({ columns: { label: [1] } }), /no text columns \(columns: label\)/);
    assert.throws(() => recommendLosses([] as unknown as RecommendInput), /expects a Dataset, a danfo.js DataFrame or \{ columns/);
  });

  it('named classes count as classes; a layout no loss reads gives an empty list', () => {
    includesAll(names({ columns: { text: texts, label: ['sport', 'news', 'sport', 'tech'] } }), ['BatchAllTripletLoss'], 'named classes');
    const r = recommendLosses({ columns: { a: texts, b: others, label: texts.map(() => [1, 2, 3, 4, 5]) } });
    assert.deepEqual(r.names().filter((n) => !['MSELoss', 'EmbedDistillLoss', ...MODIFIERS].includes(n)), []);
  });

  it('shows itself as a text table and an HTML table in notebooks', () => {
    const r = recommendLosses({ columns: { sentence1: texts, sentence2: others, score: [0.1, 0.9, 0.45, 1] } });
    const bundle = (r as unknown as Record<symbol, () => Record<string, string>>)[Symbol.for('jupyter.mimebundle')]();
    assert.equal(bundle['text/plain'], r.toString());
    assert.match(r.toString(), /^Losses for 4 rows: 2 text columns \(sentence1, sentence2\), label 'score' \(floats in \[0.1, 1\]\):\n  CoSENTLoss +★ \(sentence1, sentence2\) as \(sentence_A, sentence_B\) pairs, label 'score' as similarity scores/);
    assert.match(r.toString(), /Conversions that open more losses:\n  scoresToBinary\(data, \{ threshold: 0.5 \}\) → /);
    assert.match(bundle['text/html'], /<table><tr><th>loss<\/th><th>category<\/th><th>why it fits<\/th><th>batch sampler<\/th><\/tr><tr><td><code>CoSENTLoss<\/code> ★<\/td><td>standard<\/td>/);
    assert.match(bundle['text/html'], /<code>scoresToBinary\(data, \{ threshold: 0.5 \}\)<\/code>/);
  });
});
