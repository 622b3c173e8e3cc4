// Dataset checks before training: required columns, text cells (non-string, null/NaN, empty), and labels
// of the kind a loss needs. Row problems are counted and listed by row number; `dropInvalid` removes
// those rows instead of failing. validateForLoss matches a dataset against a loss's catalog formats and
// says what to convert when it does not fit.
import { textFormatDescription, type LabelType, type LossFormat, type TextFormat } from '../losses/catalog-types';
import type { Dataset } from './dataset';
import { describeCell, type CellValue } from './types';

export interface ValidateOptions {
  /** Columns that must exist. */
  columns?: readonly string[];
  /** The kind of label required ('none' = no label column); by default labels are only checked to be present and numeric. */
  labels?: LabelType;
  /** Drop invalid rows (and report them) instead of throwing. */
  dropInvalid?: boolean;
}

export type IssueKind = 'missing-text' | 'empty-text' | 'not-text' | 'missing-label' | 'bad-label';

export interface ValidationIssue {
  kind: IssueKind;
  column: string;
  /** Every offending row (0-based). */
  rows: number[];
  /** e.g. "column 'sentence1': 2 null/NaN texts (rows 4, 17)" */
  message: string;
}

export interface ValidationReport {
  rowCount: number;
  /** Rows with at least one issue, ascending. */
  invalidRows: number[];
  issues: ValidationIssue[];
  ok: boolean;
}

export class DatasetValidationError extends Error {
  constructor(
    message: string,
    readonly report?: ValidationReport,
  ) {
    super(message);
    this.name = 'DatasetValidationError';
  }
}

/** Anything with the catalog's shape: a loss name and its accepted (texts, labels) formats. */
export interface LossFormatsLike {
  name: string;
  formats: readonly LossFormat[];
  /** Text columns the loss accepts; by default derived from the formats. */
  columns?: { min: number; max: number | null };
}

/** The problems of a dataset, without throwing (missing columns still throw: nothing to count there). */
export function inspectDataset<R extends object>(dataset: Dataset<R>, options: ValidateOptions = {}): ValidationReport {
  checkStructure(dataset, options);
  const issues: ValidationIssue[] = [];
  for (const name of dataset.textColumns) issues.push(...textIssues(name, dataset.column(name) as CellValue[]));
  const label = dataset.labelColumn;
  if (label !== undefined && options.labels !== 'none') {
    issues.push(...labelIssues(label, dataset.column(label) as CellValue[], options.labels ?? 'any'));
  }
  const invalid = new Set<number>();
  for (const issue of issues) for (const r of issue.rows) invalid.add(r);
  const invalidRows = [...invalid].sort((a, b) => a - b);
  return { rowCount: dataset.length, invalidRows, issues, ok: issues.length === 0 };
}

/** The dataset if valid; with dropInvalid, the valid rows; otherwise a DatasetValidationError listing every problem. */
export function validateDataset<R extends object>(dataset: Dataset<R>, options: ValidateOptions = {}): Dataset<R> {
  const report = inspectDataset(dataset, options);
  if (report.ok) return dataset;
  if (options.dropInvalid) {
    const bad = new Set(report.invalidRows);
    return dataset.selectRows([...Array(dataset.length).keys()].filter((i) => !bad.has(i)));
  }
  throw new DatasetValidationError(formatReport(dataset, report), report);
}

/** Text columns each format needs: [min, max] (max null = no upper bound). */
const FORMAT_COLUMNS: Record<TextFormat, [number, number | null]> = {
  single: [1, 1],
  'anchor-anchor': [2, 2],
  'damaged-original': [2, 2],
  pair: [2, 2],
  'anchor-positive': [2, 2],
  'anchor-positive-negative': [3, 3],
  'anchor-positive-negatives': [3, null],
  'query-passage-passage': [3, null],
  any: [1, null],
};

// Label kinds as error messages name them (shorter than the overview's column headings).
const LABEL_TEXT: Record<LabelType, string> = {
  none: 'no label',
  class: 'class label (integer)',
  binary: '0/1 label',
  float: 'float score',
  embeddings: 'teacher embeddings',
  margin: 'teacher margins',
  scores: 'teacher scores',
  any: 'any label',
};

/**
 * Checks that a dataset fits one of a loss's formats (number of text columns, label presence and
 * kind) and that its rows are valid for it. Returns the dataset (valid rows only with dropInvalid).
 */
export function validateForLoss<R extends object>(dataset: Dataset<R>, loss: LossFormatsLike, options: { dropInvalid?: boolean } = {}): Dataset<R> {
  const texts = dataset.textColumns.length;
  const label = dataset.labelColumn;
  const fits = (f: LossFormat) => {
    const [min, max] = loss.columns ? [loss.columns.min, loss.columns.max] : FORMAT_COLUMNS[f.texts];
    const countOk = texts >= min && (max === null || texts <= max);
    const labelOk = f.labels === 'any' || (f.labels === 'none' ? label === undefined : label !== undefined);
    return countOk && labelOk;
  };
  const candidates = loss.formats.filter(fits);
  if (candidates.length === 0) throw new DatasetValidationError(formatMismatch(dataset, loss));
  // Several formats may fit the shape (e.g. margins as numbers or vectors): take the first without label problems.
  let firstError: unknown;
  for (const f of candidates) {
    try {
      return validateDataset(dataset, { labels: f.labels, dropInvalid: options.dropInvalid });
    } catch (e) {
      firstError ??= e;
    }
  }
  if (firstError instanceof DatasetValidationError) {
    const bad = firstError.report?.issues.find((i) => i.kind === 'bad-label');
    // No row has the right kind of label: the dataset is in another format, not dirty.
    if (bad && bad.rows.length === dataset.length) throw new DatasetValidationError(formatMismatch(dataset, loss), firstError.report);
    throw new DatasetValidationError(`${loss.name}: ${firstError.message}`, firstError.report);
  }
  throw firstError;
}

// ---- checks ---------------------------------------------------------------------------------------

function checkStructure<R extends object>(dataset: Dataset<R>, options: ValidateOptions): void {
  const names = dataset.columnNames as string[];
  const missing = (options.columns ?? []).filter((c) => !names.includes(c));
  if (missing.length) {
    throw new DatasetValidationError(`${where(dataset)} is missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `'${m}'`).join(', ')}; it has ${names.join(', ') || 'no columns'}`);
  }
  if (options.labels === 'none' && dataset.labelColumn !== undefined) {
    throw new DatasetValidationError(`${where(dataset)} has label column '${dataset.labelColumn}' but no label is expected: remove it or use withLabelColumn(null)`);
  }
  if (options.labels !== undefined && options.labels !== 'none' && options.labels !== 'any' && dataset.labelColumn === undefined) {
    throw new DatasetValidationError(`${where(dataset)} has no label column but a ${LABEL_TEXT[options.labels]} is expected (name it label or score, or pass { label } when loading)`);
  }
}

function textIssues(column: string, values: readonly CellValue[]): ValidationIssue[] {
  const missing: number[] = [];
  const empty: number[] = [];
  const notText: number[] = [];
  values.forEach((v, i) => {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) missing.push(i);
    else if (typeof v !== 'string') notText.push(i);
    else if (v.trim() === '') empty.push(i);
  });
  const out: ValidationIssue[] = [];
  if (missing.length) out.push(issue('missing-text', column, missing, 'null/NaN text', 'null/NaN texts'));
  if (empty.length) out.push(issue('empty-text', column, empty, 'empty text', 'empty texts'));
  if (notText.length) out.push(issue('not-text', column, notText, 'non-string text cell', 'non-string text cells', values[notText[0]]));
  return out;
}

/** Whether one label value is of the kind; vectors must also match the first vector's length. */
function labelOk(kind: LabelType, v: CellValue, dim: number | undefined): boolean {
  const finite = (x: unknown) => typeof x === 'number' && Number.isFinite(x);
  const vector = Array.isArray(v) && v.length > 0 && v.every(finite) && (dim === undefined || v.length === dim);
  switch (kind) {
    case 'class':
      return typeof v === 'number' && Number.isInteger(v) && v >= 0;
    case 'binary':
      return v === 0 || v === 1;
    case 'float':
      return finite(v);
    case 'embeddings':
    case 'scores':
      return vector;
    case 'margin':
    case 'any':
    case 'none':
      return finite(v) || vector;
  }
}

const LABEL_EXPECTATION: Record<LabelType, string> = {
  none: 'a number or vector',
  any: 'a finite number or a vector of one length',
  class: 'a class id (integer ≥ 0)',
  binary: '0 or 1',
  float: 'a finite number',
  embeddings: 'a vector of finite numbers, all of one length',
  scores: 'a vector of finite numbers, all of one length',
  margin: 'a finite number or a vector of one length',
};

function labelIssues(column: string, values: readonly CellValue[], kind: LabelType): ValidationIssue[] {
  const missing: number[] = [];
  const bad: number[] = [];
  const firstVector = values.find((v) => Array.isArray(v) && v.length > 0);
  const dim = Array.isArray(firstVector) ? firstVector.length : undefined;
  values.forEach((v, i) => {
    if (v === null || (typeof v === 'number' && Number.isNaN(v))) missing.push(i);
    else if (!labelOk(kind, v, dim)) bad.push(i);
  });
  const out: ValidationIssue[] = [];
  if (missing.length) out.push(issue('missing-label', column, missing, 'null/NaN label', 'null/NaN labels'));
  if (bad.length) {
    const what = `label${bad.length === 1 ? ' is' : 's are'} not ${LABEL_EXPECTATION[kind]}`;
    out.push(issue('bad-label', column, bad, what, what, values[bad[0]]));
  }
  return out;
}

function issue(kind: IssueKind, column: string, rows: number[], one: string, many: string, example?: CellValue): ValidationIssue {
  const shown = rows.slice(0, 10).join(', ') + (rows.length > 10 ? `, … (${rows.length - 10} more)` : '');
  const found = example === undefined ? '' : `; row ${rows[0]} holds ${describeCell(example)}`;
  const count = rows.length === 1 ? `1 ${one}` : `${rows.length} ${many}`;
  return { kind, column, rows, message: `column '${column}': ${count} (row${rows.length === 1 ? '' : 's'} ${shown}${found})` };
}

// ---- messages -------------------------------------------------------------------------------------

function where<R extends object>(dataset: Dataset<R>): string {
  return dataset.source ? `Dataset from ${dataset.source}` : 'Dataset';
}

export function formatReport<R extends object>(dataset: Dataset<R>, report: ValidationReport): string {
  const n = report.invalidRows.length;
  const lines = [`${where(dataset)} has ${n} invalid row${n === 1 ? '' : 's'} of ${report.rowCount}:`];
  for (const i of report.issues) lines.push(`  - ${i.message}`);
  lines.push('Pass { dropInvalid: true } to drop them.');
  return lines.join('\n');
}

/** A short description of a dataset's label column, for messages: "label 'score' (numbers in [0, 1])". */
export function describeLabels<R extends object>(dataset: Dataset<R>): string {
  const name = dataset.labelColumn;
  if (name === undefined) return 'no label';
  const values = dataset.column(name) as CellValue[];
  const numbers = values.filter((v): v is number => typeof v === 'number' && !Number.isNaN(v));
  let kind: string;
  if (values.length > 0 && values.every((v) => Array.isArray(v))) {
    const dims = new Set(values.map((v) => (v as number[]).length));
    kind = dims.size === 1 ? `vectors of length ${[...dims][0]}` : 'vectors of several lengths';
  } else if (numbers.length === values.length && numbers.length > 0) {
    let min = Infinity;
    let max = -Infinity;
    for (const x of numbers) {
      if (x < min) min = x;
      if (x > max) max = x;
    }
    if (numbers.every(Number.isInteger)) kind = min === 0 && max === 1 ? '0/1' : `integers ${min}..${max}`;
    else kind = `numbers in [${min}, ${max}]`;
  } else kind = `mixed: e.g. ${describeCell(values.find((v) => typeof v !== 'number') ?? null)}`;
  return `label '${name}' (${kind})`;
}

function formatMismatch<R extends object>(dataset: Dataset<R>, loss: LossFormatsLike): string {
  const wants = loss.formats.map((f) => `${textFormatDescription[f.texts]} + ${LABEL_TEXT[f.labels]}`).join(', or ');
  const texts = dataset.textColumns;
  const got = `${texts.length} text column${texts.length === 1 ? '' : 's'} (${texts.join(', ')}) and ${describeLabels(dataset)}`;
  const hint = mismatchHint(dataset, loss);
  return `${loss.name} expects ${wants}; got ${got}${hint ? `. ${hint}` : ''}`;
}

/** Which converter (or column selection) would make the dataset fit. */
function mismatchHint<R extends object>(dataset: Dataset<R>, loss: LossFormatsLike): string | undefined {
  const texts = dataset.textColumns.length;
  const label = dataset.labelColumn;
  const wantLabels = new Set(loss.formats.map((f) => f.labels));
  const wantTexts = new Set(loss.formats.map((f) => f.texts));
  const values = label === undefined ? [] : (dataset.column(label) as CellValue[]);
  const isBinary = values.length > 0 && values.every((v) => v === 0 || v === 1);
  const isFloat = values.some((v) => typeof v === 'number' && !Number.isInteger(v));
  const isClass = !isBinary && values.length > 0 && values.every((v) => typeof v === 'number' && Number.isInteger(v));
  const maxTexts = loss.columns ? (loss.columns.max ?? Infinity) : Math.max(...loss.formats.map((f) => FORMAT_COLUMNS[f.texts][1] ?? Infinity));
  if (texts > maxTexts) return `Keep only the columns the loss needs with select([...]) (extra columns such as label_text or source count as texts)`;
  if (wantLabels.has('none') && label !== undefined && texts === 2 && isBinary) return 'Keep the positive pairs with binaryToPositivePairs()';
  if (wantLabels.has('none') && label !== undefined && texts === 2 && isClass) return 'For NLI pairs use nliToPairs() or nliToTriplets()';
  if (wantLabels.has('binary') && texts === 2 && isFloat) return 'Turn scores into 0/1 labels with scoresToBinary({ threshold })';
  if (wantLabels.has('embeddings') && label === undefined) return 'Add teacher embeddings with addTeacherEmbeddings(dataset, teacher, column)';
  if ((wantLabels.has('margin') || wantLabels.has('scores')) && label === undefined && texts >= 3) return 'Add teacher margins with addTeacherMargins(dataset, teacher)';
  if (wantTexts.has('anchor-positive-negative') && texts === 2 && label === undefined) return 'Add negatives with mineHardNegatives(dataset, model)';
  if (wantTexts.has('single') && label !== undefined && texts === 1 && wantLabels.has('class') && !isClass && !isBinary) return 'The labels must be integer class ids';
  if ((wantTexts.has('anchor-positive') || wantTexts.has('anchor-positive-negative')) && texts === 1 && label !== undefined) {
    return 'Make pairs or triplets of same-class sentences with classToPairs() or classToTriplets()';
  }
  if (wantTexts.has('anchor-anchor') && texts === 1) return 'Make (anchor, anchor) pairs with contrastiveTensionPairs()';
  if (wantTexts.has('damaged-original') && texts === 1) return 'Make (damaged, original) pairs with tsdaeNoise()';
  return undefined;
}
