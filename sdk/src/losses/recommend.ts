// recommendLosses: which losses fit a dataset, read the way the Loss Overview reads it. The text columns
// (every column but the label column) give the layout (single sentences, pairs, triplets, n-tuples); the
// label values give the label type (none, 0/1, integer classes, float scores, vectors). Every catalog
// entry with a matching format is returned in the overview's order with the reason, and the data layer's
// converters that would open more losses are named with the call to make.
import { columnsFromDataFrame, isDataFrame, type DataFrame } from '../data/dataframe';
import { escapeHtml } from '../data/display';
import { LABEL_COLUMN_NAMES } from '../data/types';
import { lossCatalog } from './catalog';
import { labelTypeDescription, textFormatDescription, type LabelType, type LossCatalogEntry, type LossCategory, type LossFormat, type RecommendedSampler, type TextFormat } from './catalog-types';

/** The parts of a Dataset recommendLosses reads (sdk/src/data's Dataset has them). */
export interface DatasetColumns {
  readonly columnNames: readonly string[];
  readonly labelColumn: string | undefined;
  column(name: string): readonly unknown[];
}

/** A Dataset, a danfo.js DataFrame, or plain named columns. */
export type RecommendInput = DatasetColumns | DataFrame | { columns: Record<string, readonly unknown[]> };

export interface RecommendOptions {
  /** The label column; `null` = none. Default: the dataset's, else a column named label / labels / score / scores. */
  labelColumn?: string | null;
}

export type LabelKind = 'none' | 'binary' | 'integer' | 'float' | 'vector' | 'text';

/** What recommendLosses saw in the data. */
export interface DataDescription {
  rows: number;
  textColumns: string[];
  labelColumn: string | null;
  labelKind: LabelKind;
  /** e.g. "0/1", "3 integer classes (0, 1, 2)", "floats in [0, 5]", "vectors of length 384". */
  labelSummary: string;
  /** Text layouts the columns can be read as. */
  textFormats: TextFormat[];
  /** Label types the values can be read as. */
  labelTypes: LabelType[];
}

export interface LossRecommendation {
  name: string;
  category: LossCategory;
  commonlyUsed: boolean;
  recommendedSampler: RecommendedSampler;
  /** The overview row the data matches. */
  format: LossFormat;
  reason: string;
  /** A converter call to run first when the loss reads the data in another layout (ContrastiveTension, TSDAE). */
  prepare?: string;
}

export interface ConversionSuggestion {
  /** The data layer's converter, e.g. 'classToTriplets'. */
  converter: string;
  /** The call to make, e.g. "classToTriplets(data)". */
  call: string;
  /** The format it produces, in the overview's words. */
  produces: string;
  /** Losses that fit the converted data but not the data as it is, in catalog order. */
  opens: string[];
}

// Losses the overview lists for single sentences that train on pairs a converter makes from them.
const PREPARE: Record<string, { from: TextFormat; call: string }> = {
  ContrastiveTensionLoss: { from: 'single', call: "contrastiveTensionPairs(data, { layout: 'classic' })" },
  DenoisingAutoEncoderLoss: { from: 'single', call: 'tsdaeNoise(data)' },
};

// ---- reading the data ------------------------------------------------------------------------------

function readColumns(input: RecommendInput, options: RecommendOptions): { names: string[]; label: string | null; column: (name: string) => readonly unknown[] } {
  if (isDataFrame(input)) {
    const { names, columns } = columnsFromDataFrame(input);
    return { names, label: defaultLabel(names, options), column: (n) => columns[names.indexOf(n)] };
  }
  if (isDatasetColumns(input)) {
    const names = [...input.columnNames];
    const label = options.labelColumn !== undefined ? options.labelColumn : (input.labelColumn ?? null);
    return { names, label, column: (n) => input.column(n) };
  }
  const cols = (input as { columns?: unknown }).columns;
  if (typeof cols !== 'object' || cols === null || Array.isArray(cols)) {
    throw new Error('recommendLosses expects a Dataset, a danfo.js DataFrame or { columns: { name: values[] } }; got ' + describe(input));
  }
  const record = cols as Record<string, unknown>;
  const names = Object.keys(record);
  for (const n of names) if (!Array.isArray(record[n])) throw new Error(`recommendLosses: column '${n}' must be an array of values; got ${describe(record[n])}`);
  return { names, label: defaultLabel(names, options), column: (n) => record[n] as unknown[] };
}

function isDatasetColumns(x: unknown): x is DatasetColumns {
  const d = x as Partial<DatasetColumns>;
  return typeof x === 'object' && x !== null && Array.isArray(d.columnNames) && typeof d.column === 'function';
}

function defaultLabel(names: readonly string[], options: RecommendOptions): string | null {
  if (options.labelColumn !== undefined) return options.labelColumn;
  return names.find((n) => LABEL_COLUMN_NAMES.includes(n)) ?? null;
}

function describe(x: unknown): string {
  if (x === null || x === undefined) return String(x);
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return typeof x === 'object' ? 'an object without `columns`' : `${typeof x} ${String(x)}`;
}

const isVector = (v: unknown): v is ArrayLike<number> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));

function analyseLabels(name: string, values: readonly unknown[]): { kind: LabelKind; summary: string; vectorLength?: number; range?: [number, number]; distinct: (number | string)[] } {
  const kinds = new Set<string>();
  values.forEach((v, i) => {
    const k = typeof v === 'number' ? (Number.isFinite(v) ? 'number' : 'bad') : typeof v === 'boolean' ? 'boolean' : typeof v === 'string' ? 'string' : isVector(v) ? 'vector' : 'bad';
    if (k === 'bad') throw new Error(`recommendLosses: label column '${name}' row ${i} holds ${v === null ? 'null' : typeof v === 'number' ? String(v) : typeof v}; labels must be numbers, 0/1, class names or number arrays`);
    kinds.add(k === 'boolean' ? 'number' : k);
  });
  if (kinds.size > 1) throw new Error(`recommendLosses: label column '${name}' mixes ${[...kinds].join(' and ')} values`);
  const kind = [...kinds][0];
  if (kind === undefined) return { kind: 'none', summary: 'no rows', distinct: [] };
  if (kind === 'string') {
    const distinct = [...new Set(values as string[])];
    return { kind: 'text', summary: `${distinct.length} named classes (${preview(distinct.map((d) => JSON.stringify(d)))})`, distinct };
  }
  if (kind === 'vector') {
    const lengths = new Set((values as ArrayLike<number>[]).map((v) => v.length));
    if (lengths.size > 1) throw new Error(`recommendLosses: label column '${name}' holds vectors of different lengths (${[...lengths].slice(0, 5).join(', ')})`);
    const n = [...lengths][0];
    return { kind: 'vector', summary: `vectors of length ${n}`, vectorLength: n, distinct: [] };
  }
  const nums = (values as (number | boolean)[]).map(Number);
  const distinct = [...new Set(nums)].sort((a, b) => a - b);
  const range: [number, number] = [distinct[0], distinct[distinct.length - 1]];
  if (distinct.every((v) => v === 0 || v === 1)) return { kind: 'binary', summary: '0/1', range, distinct };
  if (distinct.every(Number.isInteger)) return { kind: 'integer', summary: `${distinct.length} integer classes (${preview(distinct.map(String))})`, range, distinct };
  return { kind: 'float', summary: `floats in [${range.map((x) => Number(x.toPrecision(4))).join(', ')}]`, range, distinct };
}

function preview(items: string[]): string {
  return items.length > 6 ? `${items.slice(0, 6).join(', ')}, …` : items.join(', ');
}

function textFormatsOf(count: number, columns: (readonly string[])[]): TextFormat[] {
  if (count === 1) return ['single'];
  if (count >= 3) return ['anchor-positive-negative', 'anchor-positive-negatives', 'query-passage-passage'];
  const formats: TextFormat[] = ['pair', 'anchor-positive'];
  const [a, b] = columns;
  if (a.length > 0 && a.every((t, i) => t === b[i])) formats.push('anchor-anchor');
  if (a.length > 0 && a.every((t, i) => isWordDeletion(t, b[i])) && a.some((t, i) => t !== b[i])) formats.push('damaged-original');
  return formats;
}

/** True when `damaged` is `original` with some words deleted (TSDAE's noise), word order kept. */
function isWordDeletion(damaged: string, original: string): boolean {
  const words = original.split(/\s+/).filter(Boolean);
  let j = 0;
  for (const w of damaged.split(/\s+/).filter(Boolean)) {
    while (j < words.length && words[j] !== w) j++;
    if (j === words.length) return false;
    j++;
  }
  return true;
}

function labelTypesOf(kind: LabelKind, labelColumn: string | null, textCount: number, vectorLength?: number): LabelType[] {
  const named = labelColumn !== null && /^scores?$/.test(labelColumn);
  switch (kind) {
    case 'none':
      return ['none'];
    case 'binary':
      return ['binary', 'class', 'float'];
    case 'integer':
      return named ? ['float', 'class'] : ['class'];
    case 'text':
      return ['class'];
    case 'float':
      return textCount === 3 ? ['float', 'margin'] : ['float'];
    case 'vector':
      if (textCount >= 3 && vectorLength === textCount - 1) return ['scores', 'margin'];
      if (textCount >= 3 && vectorLength === textCount - 2) return ['margin'];
      return ['embeddings'];
  }
}

function inspect(input: RecommendInput, options: RecommendOptions): { description: DataDescription; labels: LabelInfo } {
  const { names, label, column } = readColumns(input, options);
  if (label !== null && !names.includes(label)) throw new Error(`recommendLosses: no label column '${label}' (columns: ${names.join(', ')})`);
  const textColumns = names.filter((n) => n !== label);
  if (textColumns.length === 0) throw new Error(`recommendLosses: no text columns (columns: ${names.join(', ') || 'none'})`);
  const texts = textColumns.map((n) => {
    const values = column(n);
    const bad = values.findIndex((v) => typeof v !== 'string');
    if (bad >= 0) {
      throw new Error(
        `recommendLosses: column '${n}' row ${bad} is not text (${describe(values[bad])}); every column but the label column must hold texts — ` +
          `name the label column with { labelColumn } or drop the column`,
      );
    }
    return values as readonly string[];
  });
  const labels = label === null ? undefined : analyseLabels(label, column(label));
  const labelKind = labels?.kind ?? 'none';
  const labelTypes = labelTypesOf(labelKind, label, textColumns.length, labels?.vectorLength);
  const textFormats = textFormatsOf(textColumns.length, texts);
  // Distillation to teacher embeddings reads every column as single sentences (source + translations).
  if (labelTypes.includes('embeddings') && !textFormats.includes('single')) textFormats.push('single');
  const description: DataDescription = {
    rows: texts[0].length,
    textColumns,
    labelColumn: label,
    labelKind,
    labelSummary: labels?.summary ?? 'no label column',
    textFormats,
    labelTypes,
  };
  return { description, labels: labels ?? { distinct: [] } };
}

/** What the data looks like to the loss chooser. */
export function describeLossData(input: RecommendInput, options: RecommendOptions = {}): DataDescription {
  return inspect(input, options).description;
}

// ---- matching ------------------------------------------------------------------------------------

function matchEntry(entry: LossCatalogEntry, d: Pick<DataDescription, 'textFormats' | 'labelTypes' | 'textColumns'>): { format: LossFormat; prepare?: string } | undefined {
  const n = d.textColumns.length;
  const fitsColumns = n >= entry.columns.min && (entry.columns.max === null || n <= entry.columns.max);
  for (const format of entry.formats) {
    const texts = format.texts === 'any' || d.textFormats.includes(format.texts);
    const labels = format.labels === 'any' || d.labelTypes.includes(format.labels);
    if (!texts || !labels) continue;
    if (fitsColumns) return { format };
    const prepare = PREPARE[entry.name];
    if (prepare && prepare.from === format.texts) return { format, prepare: prepare.call };
  }
  return undefined;
}

const LABEL_READING: Record<LabelType, string> = {
  none: 'no label',
  any: 'any label',
  class: 'as class ids',
  binary: 'as 1 = positive / 0 = negative',
  float: 'as similarity scores',
  embeddings: 'as teacher embeddings',
  margin: 'as teacher margins sim(q, p) − sim(q, n)',
  scores: 'as teacher scores per candidate',
};

function reasonFor(entry: LossCatalogEntry, format: LossFormat, d: DataDescription, prepare?: string): string {
  const columns = `(${d.textColumns.join(', ')})`;
  if (entry.category === 'modifier') {
    return `wraps any of the other losses listed${entry.name === 'MatryoshkaLoss' ? '' : '; needs a model whose first module is a Transformer'}`;
  }
  const label = d.labelColumn === null || format.labels === 'none' ? 'no label' : `label '${d.labelColumn}' ${LABEL_READING[format.labels]} (${d.labelSummary})`;
  const how = prepare ? `; make its training pairs with ${prepare}` : '';
  return `${columns} as ${textFormatDescription[format.texts]}, ${label}${how}`;
}

/** The catalog entries that fit a description (modifiers only alongside a standard loss). */
function fittingLosses(d: DataDescription): LossRecommendation[] {
  const out: LossRecommendation[] = [];
  for (const entry of lossCatalog) {
    const m = matchEntry(entry, d);
    if (!m) continue;
    out.push({
      name: entry.name,
      category: entry.category,
      commonlyUsed: entry.commonlyUsed,
      recommendedSampler: entry.recommendedSampler,
      format: m.format,
      reason: reasonFor(entry, m.format, d, m.prepare),
      ...(m.prepare ? { prepare: m.prepare } : {}),
    });
  }
  const hasBase = out.some((r) => r.category !== 'modifier' && r.category !== 'regularization');
  return hasBase ? out : [];
}

// ---- conversions ---------------------------------------------------------------------------------

interface ConversionRule {
  converter: string;
  applies(d: DataDescription, labelValues: LabelInfo): boolean;
  call(d: DataDescription, labelValues: LabelInfo): string;
  /** The converted data: text columns, their layouts and the label types. */
  to: { columns: string[]; textFormats: TextFormat[]; labelTypes: LabelType[] };
}

interface LabelInfo {
  range?: [number, number];
  distinct: (number | string)[];
}

const isClass = (d: DataDescription) => d.labelKind === 'integer' || d.labelKind === 'text' || d.labelKind === 'binary';
const isNli = (d: DataDescription, l: LabelInfo) =>
  (d.labelKind === 'integer' && l.distinct.length === 3 && l.distinct.every((v) => v === 0 || v === 1 || v === 2)) ||
  (d.labelKind === 'text' && l.distinct.some((v) => String(v).toLowerCase() === 'entailment'));
const TRIPLET: ConversionRule['to'] = { columns: ['anchor', 'positive', 'negative'], textFormats: ['anchor-positive-negative', 'anchor-positive-negatives', 'query-passage-passage'], labelTypes: ['none'] };
const PAIRS: ConversionRule['to'] = { columns: ['anchor', 'positive'], textFormats: ['anchor-positive', 'pair'], labelTypes: ['none'] };

const CONVERSIONS: ConversionRule[] = [
  { converter: 'classToTriplets', applies: (d) => d.textColumns.length === 1 && isClass(d), call: () => 'classToTriplets(data)', to: TRIPLET },
  { converter: 'classToPairs', applies: (d) => d.textColumns.length === 1 && isClass(d), call: () => 'classToPairs(data)', to: PAIRS },
  { converter: 'nliToTriplets', applies: (d, l) => d.textColumns.length === 2 && isNli(d, l), call: () => 'nliToTriplets(data)', to: TRIPLET },
  { converter: 'nliToPairs', applies: (d, l) => d.textColumns.length === 2 && isNli(d, l), call: () => 'nliToPairs(data)', to: PAIRS },
  { converter: 'pairClassToTriplets', applies: (d) => d.textColumns.length === 2 && (d.labelKind === 'integer' || d.labelKind === 'text'), call: () => 'pairClassToTriplets(data)', to: TRIPLET },
  { converter: 'binaryToPositivePairs', applies: (d) => d.textColumns.length === 2 && d.labelKind === 'binary', call: () => 'binaryToPositivePairs(data)', to: PAIRS },
  {
    converter: 'scoresToBinary',
    applies: (d) => d.textColumns.length === 2 && (d.labelKind === 'float' || (d.labelKind === 'integer' && d.labelTypes.includes('float'))),
    call: (_d, l) => `scoresToBinary(data, { threshold: ${suggestedThreshold(l.range)} })`,
    to: { columns: ['sentence1', 'sentence2'], textFormats: ['pair', 'anchor-positive'], labelTypes: ['binary', 'class', 'float'] },
  },
  {
    converter: 'mineHardNegatives',
    applies: (d) => d.textColumns.length === 2 && d.labelKind === 'none',
    call: () => 'await mineHardNegatives(data, model)',
    to: TRIPLET,
  },
  {
    converter: 'contrastiveTensionPairs',
    applies: (d) => d.textColumns.length === 1 && d.labelKind === 'none',
    call: () => 'contrastiveTensionPairs(data)',
    to: { columns: ['anchor', 'positive'], textFormats: ['pair', 'anchor-positive', 'anchor-anchor'], labelTypes: ['none'] },
  },
  {
    converter: 'tsdaeNoise',
    applies: (d) => d.textColumns.length === 1 && d.labelKind === 'none',
    call: () => 'tsdaeNoise(data)',
    to: { columns: ['damaged_sentence', 'original_sentence'], textFormats: ['damaged-original'], labelTypes: ['none'] },
  },
  {
    converter: 'addTeacherEmbeddings',
    applies: (d) => d.textColumns.length <= 2 && d.labelKind === 'none',
    call: (d) => `await addTeacherEmbeddings(data, teacher, '${d.textColumns[0]}')`,
    to: { columns: [], textFormats: [], labelTypes: ['embeddings'] },
  },
  {
    converter: 'addTeacherMargins',
    applies: (d) => d.textColumns.length >= 3 && d.labelKind === 'none',
    call: () => 'await addTeacherMargins(data, teacher)',
    to: { columns: [], textFormats: [], labelTypes: ['margin'] },
  },
];

function suggestedThreshold(range: [number, number] | undefined): number {
  if (!range) return 0.5;
  const [lo, hi] = range;
  return lo >= 0 && hi <= 1 ? 0.5 : Number(((lo + hi) / 2).toPrecision(3));
}

function conversionsFor(d: DataDescription, labels: LabelInfo, direct: readonly LossRecommendation[]): ConversionSuggestion[] {
  const have = new Set(direct.map((r) => r.name));
  const out: ConversionSuggestion[] = [];
  for (const rule of CONVERSIONS) {
    if (!rule.applies(d, labels)) continue;
    // Converters that only add labels keep the text columns.
    const keepsTexts = rule.to.columns.length === 0;
    const converted: DataDescription = {
      ...d,
      textColumns: keepsTexts ? d.textColumns : rule.to.columns,
      textFormats: keepsTexts ? d.textFormats : rule.to.textFormats,
      labelTypes: rule.to.labelTypes,
      labelKind: rule.to.labelTypes[0] === 'none' ? 'none' : d.labelKind,
      labelColumn: rule.to.labelTypes[0] === 'none' ? null : 'label',
    };
    const opens = fittingLosses(converted)
      .filter((r) => r.category !== 'modifier' && r.category !== 'regularization' && !have.has(r.name) && !r.prepare)
      .map((r) => r.name);
    if (opens.length === 0) continue;
    const produces = `${keepsTexts ? `${d.textColumns.length} text column${d.textColumns.length === 1 ? '' : 's'}` : textFormatDescription[rule.to.textFormats.includes('anchor-anchor') ? 'anchor-anchor' : rule.to.textFormats[0]]} with ${labelTypeDescription[rule.to.labelTypes[0]]}`;
    out.push({ converter: rule.converter, call: rule.call(d, labels), produces, opens });
  }
  return out;
}

// ---- result --------------------------------------------------------------------------------------

/** The losses that fit a dataset, in the Loss Overview's order, and the conversions that open more. */
export class LossRecommendations {
  constructor(
    readonly data: DataDescription,
    readonly losses: readonly LossRecommendation[],
    readonly conversions: readonly ConversionSuggestion[],
  ) {}

  /** The recommended losses' names, in order. */
  names(): string[] {
    return this.losses.map((l) => l.name);
  }

  private heading(): string {
    const d = this.data;
    const label = d.labelColumn === null ? 'no label' : `label '${d.labelColumn}' (${d.labelSummary})`;
    return `${d.rows.toLocaleString('en-US')} rows: ${d.textColumns.length} text column${d.textColumns.length === 1 ? '' : 's'} (${d.textColumns.join(', ')}), ${label}`;
  }

  toString(): string {
    const lines = [`Losses for ${this.heading()}:`];
    if (this.losses.length === 0) lines.push('  none fits this layout as it is; see the conversions below');
    const width = Math.max(0, ...this.losses.map((l) => l.name.length));
    for (const l of this.losses) lines.push(`  ${l.name.padEnd(width)}  ${l.commonlyUsed ? '★ ' : ''}${l.reason}`);
    if (this.conversions.length > 0) {
      lines.push('Conversions that open more losses:');
      for (const c of this.conversions) lines.push(`  ${c.call} → ${c.produces}: ${c.opens.join(', ')}`);
    }
    return lines.join('\n');
  }

  [Symbol.for('jupyter.mimebundle')](): Record<string, string> {
    const rows = this.losses
      .map(
        (l) =>
          `<tr><td><code>${escapeHtml(l.name)}</code>${l.commonlyUsed ? ' ★' : ''}</td><td>${l.category}</td><td>${escapeHtml(l.reason)}</td><td>${l.recommendedSampler}</td></tr>`,
      )
      .join('');
    const conversions = this.conversions
      .map((c) => `<tr><td><code>${escapeHtml(c.call)}</code></td><td>${escapeHtml(c.produces)}</td><td>${c.opens.map((o) => `<code>${escapeHtml(o)}</code>`).join(', ')}</td></tr>`)
      .join('');
    const html =
      `<b>Losses</b> for ${escapeHtml(this.heading())} (★ commonly used)` +
      (rows ? `<table><tr><th>loss</th><th>category</th><th>why it fits</th><th>batch sampler</th></tr>${rows}</table>` : '<p>None fits this layout as it is.</p>') +
      (conversions ? `<b>Conversions that open more losses</b><table><tr><th>call</th><th>gives</th><th>opens</th></tr>${conversions}</table>` : '');
    return { 'text/plain': this.toString(), 'text/html': html };
  }
}

/**
 * The losses that fit `data` (a Dataset, a danfo.js DataFrame or `{ columns: { name: values[] } }`), in the
 * Loss Overview's order with the reason for each, and the converters that would open more losses.
 */
export function recommendLosses(data: RecommendInput, options: RecommendOptions = {}): LossRecommendations {
  const { description, labels } = inspect(data, options);
  const losses = fittingLosses(description);
  return new LossRecommendations(description, losses, conversionsFor(description, labels, losses));
}
