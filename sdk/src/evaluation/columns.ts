// Evaluators take plain arrays; these checks make a bad input fail at construction with the row that is
// wrong, and let evaluators read the same columns from a Dataset (anything with column(name)).

/** Anything that yields a column by name, such as a sentence-tfjs Dataset. */
export interface ColumnSource {
  column(name: string): readonly unknown[];
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? `${v.slice(0, 37)}...` : v)}`;
  if (typeof v === 'number' && Number.isNaN(v)) return 'NaN';
  return Array.isArray(v) ? `array of length ${v.length}` : `${typeof v} ${String(v)}`;
}

export function checkTexts(evaluator: string, what: string, values: readonly unknown[]): string[] {
  if (!Array.isArray(values)) throw new Error(`${evaluator}: ${what} must be an array of strings; got ${describe(values)}`);
  values.forEach((v, i) => {
    if (typeof v !== 'string') throw new Error(`${evaluator}: ${what} row ${i} must be a string; found ${describe(v)}`);
  });
  return values as string[];
}

export function checkNumbers(evaluator: string, what: string, values: readonly unknown[]): number[] {
  if (!Array.isArray(values)) throw new Error(`${evaluator}: ${what} must be an array of numbers; got ${describe(values)}`);
  values.forEach((v, i) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${evaluator}: ${what} row ${i} must be a finite number; found ${describe(v)}`);
  });
  return values as number[];
}

export function checkLengths(evaluator: string, columns: Record<string, readonly unknown[]>): void {
  const entries = Object.entries(columns);
  const [firstName, first] = entries[0];
  if (first.length === 0) throw new Error(`${evaluator}: ${firstName} is empty; an evaluator needs at least one row`);
  for (const [name, col] of entries.slice(1)) {
    if (col.length !== first.length) {
      throw new Error(`${evaluator}: ${firstName} has ${first.length} rows but ${name} has ${col.length}`);
    }
  }
}

/** Two text columns and a numeric one (scores, labels) of one length: the pair evaluators' input. */
export function checkPairsWithNumbers(
  evaluator: string,
  sentences1: readonly unknown[],
  sentences2: readonly unknown[],
  numbersName: string,
  numbers: readonly unknown[],
): [string[], string[], number[]] {
  const out: [string[], string[], number[]] = [
    checkTexts(evaluator, 'sentences1', sentences1),
    checkTexts(evaluator, 'sentences2', sentences2),
    checkNumbers(evaluator, numbersName, numbers),
  ];
  checkLengths(evaluator, { sentences1: out[0], sentences2: out[1], [numbersName]: out[2] });
  return out;
}

/** The named columns of a dataset, for fromDataset (checked by the evaluator's constructor). */
export function readColumns(evaluator: string, source: ColumnSource, names: readonly string[]): unknown[][] {
  return names.map((name) => {
    try {
      return [...source.column(name)];
    } catch (e) {
      throw new Error(`${evaluator}.fromDataset: cannot read column '${name}': ${(e as Error).message}`);
    }
  });
}
