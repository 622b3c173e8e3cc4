// Typed access to the reference fixtures that losses.py writes to fixtures/losses.json: loss values and
// gradients from a float64 torch transcription of sentence-transformers v6, plus similarity matrices.
// Option keys arrive as Python snake_case and come out as the camelCase option names of the TypeScript
// losses; values are kept as they are (enum and function names stay Python strings, e.g.
// similarityFct: 'dot_score', distanceMetric: 'EUCLIDEAN'). Regenerate with
// `/usr/bin/python3 test/reference/losses.py`; the JSON schema is documented at the top of that file.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Matrix = number[][];
export type OptionValue = string | number | boolean | null | OptionValue[] | { [key: string]: OptionValue };
export type FixtureOptions = { [key: string]: OptionValue };
/** A loss-owned weight in torch layout: "weight" [out, in], "bias" [out], "logit_scale" a scalar. */
export type ParamValue = number | number[] | number[][];

export interface LossFixtureInputs {
  /** One [B, d] matrix per text column; AdaptiveLayer / Matryoshka2d: embeddings[c * numLayers + l]. */
  embeddings: Matrix[];
  labels: number[] | number[][] | number[][][] | null;
  /** Hidden states per column (AdaptiveLayerLoss, Matryoshka2dLoss); the last one is the final layer. */
  numLayers?: number;
  /** GIST: the guide model's embedding of each column (constants; the dimension may differ). */
  guideEmbeddings?: Matrix[];
  moduleParams?: Record<string, ParamValue>;
  /** Each random.sample(range(n), k) result, in call order, as drawn (replay with sample(n, k)). */
  randomSamples?: number[][];
}

export interface LossFixtureExpected {
  loss: number;
  /** d loss / d inputs.embeddings[i], same shapes. */
  grads: Matrix[];
  paramGrads?: Record<string, ParamValue>;
  /** GlobalOrthogonalRegularizationLoss's terms under their Python keys: "gor_mean", "gor_second_moment". */
  parts?: Record<string, number>;
}

export interface LossFixture {
  name: string;
  /** sentence-transformers class name, e.g. 'MultipleNegativesRankingLoss'. */
  loss: string;
  options: FixtureOptions;
  /** The wrapped loss of MatryoshkaLoss / AdaptiveLayerLoss / Matryoshka2dLoss. */
  inner?: { loss: string; options: FixtureOptions };
  inputs: LossFixtureInputs;
  expected: LossFixtureExpected;
}

export interface SimilarityFixture {
  name: string;
  /** sentence_transformers.util name: 'cos_sim', 'dot_score', ..., 'pairwise_angle_sim'. */
  fn: string;
  a: Matrix;
  b: Matrix;
  /** [Na, Nb] for the matrix functions, [N] for the pairwise ones. */
  expected: Matrix | number[];
  /** Weights w (shape of expected) of the scalar sum(w * fn(a, b)) whose gradients follow. */
  upstream: Matrix | number[];
  gradA: Matrix;
  gradB: Matrix;
}

const FIXTURE_FILE = join(__dirname, 'fixtures', 'losses.json');

interface RawFixtureFile {
  cases: LossFixture[];
  similarity: SimilarityFixture[];
}

function readFixtureFile(): RawFixtureFile {
  let text: string;
  try {
    text = readFileSync(FIXTURE_FILE, 'utf8');
  } catch (e) {
    throw new Error(
      `reference fixtures: cannot read ${FIXTURE_FILE} (${e instanceof Error ? e.message : String(e)}); ` +
        'regenerate it with `/usr/bin/python3 test/reference/losses.py`',
    );
  }
  const raw = JSON.parse(text) as Partial<RawFixtureFile>;
  if (!Array.isArray(raw.cases) || !Array.isArray(raw.similarity)) {
    throw new Error(`reference fixtures: ${FIXTURE_FILE} must hold "cases" and "similarity" arrays; found keys ${Object.keys(raw).join(', ')}`);
  }
  return raw as RawFixtureFile;
}

/** 'n_dims_per_step' -> 'nDimsPerStep'. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Keys converted at every depth (objects inside arrays too); values untouched. */
export function camelizeKeys(value: OptionValue): OptionValue {
  if (Array.isArray(value)) return value.map(camelizeKeys);
  if (value !== null && typeof value === 'object') {
    const out: { [key: string]: OptionValue } = {};
    for (const [k, v] of Object.entries(value)) out[snakeToCamel(k)] = camelizeKeys(v);
    return out;
  }
  return value;
}

function camelizeOptions(options: FixtureOptions): FixtureOptions {
  return camelizeKeys(options) as FixtureOptions;
}

/** Every loss case, options (and inner options) with camelCase keys. A fresh copy on each call. */
export function loadLossFixtures(): LossFixture[] {
  return readFixtureFile().cases.map((c) => ({
    ...c,
    options: camelizeOptions(c.options),
    ...(c.inner ? { inner: { loss: c.inner.loss, options: camelizeOptions(c.inner.options) } } : {}),
  }));
}

/** The cases of one loss class; throws when there are none, so a test cannot pass by looping over nothing. */
export function lossFixturesFor(loss: string): LossFixture[] {
  const all = loadLossFixtures();
  const found = all.filter((c) => c.loss === loss);
  if (found.length === 0) {
    const known = [...new Set(all.map((c) => c.loss))].join(', ');
    throw new Error(`reference fixtures: no case for loss '${loss}' in ${FIXTURE_FILE}; losses present: ${known}`);
  }
  return found;
}

/** The similarity-function cases (inputs and expected matrices / vectors). */
export function loadSimilarityFixtures(): SimilarityFixture[] {
  return readFixtureFile().similarity;
}
