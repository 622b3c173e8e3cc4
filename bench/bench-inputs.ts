// What every SDK bench worker shares with its PyTorch twin: the case description (passed by run.mjs as
// JSON), the texts of each step built from the repo's datasets, and the token ids written to a file so
// the PyTorch script trains on exactly the same inputs.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BERT_PRESETS, SentenceTransformer, StaticEmbedding, Transformer, Pooling, defaultTokenizer, type BertPreset } from '../sdk/src';

export interface ModelSpec {
  kind: 'static' | 'transformer';
  /** StaticEmbedding width. */
  dim?: number;
  /** Transformer size. */
  preset?: BertPreset;
  maxSeqLength?: number;
}

export interface BenchCase {
  name: string;
  model: ModelSpec;
  loss?: 'mnrl' | 'cosent';
  batch: number;
  /** Texts are joined from consecutive dataset rows until they have this many words (more tokens than maxSeqLength, so every sequence is full). */
  minWords?: number;
  warmup: number;
  steps: number;
  lr?: number;
  weightDecay?: number;
  /** How the SDK worker takes gradients: leanVariableGrads (default) or tf.variableGrads. */
  gradients?: 'lean' | 'tfjs';
  seed: number;
  /** Where this worker writes the token ids of its steps (training) or texts (encode). */
  inputsFile?: string;
}

export interface EncodedColumn {
  inputIds: number[][];
  attentionMask: number[][];
}

export interface StepInputs {
  columns: EncodedColumn[];
  labels?: number[];
}

const DATA = join(__dirname, '..', 'notebooks', 'data');

function readJsonl<T>(file: string): T[] {
  return readFileSync(join(DATA, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** MNRL cases train on SNLI (anchor, positive) pairs; CoSENT on STS-B (sentence1, sentence2, score). */
export function datasetRows(loss: BenchCase['loss']): { columns: string[][]; labels?: number[] } {
  if (loss === 'cosent') {
    const rows = readJsonl<{ sentence1: string; sentence2: string; score: number }>('stsb/train.jsonl');
    return { columns: [rows.map((r) => r.sentence1), rows.map((r) => r.sentence2)], labels: rows.map((r) => r.score) };
  }
  const rows = readJsonl<{ anchor: string; positive: string }>('snli-pairs-triplets/pairs-train.jsonl');
  return { columns: [rows.map((r) => r.anchor), rows.map((r) => r.positive)] };
}

/** Wikipedia sentences for encode. */
export function wikiSentences(): string[] {
  return readJsonl<{ text: string }>('wiki-sentences/train.jsonl').map((r) => r.text);
}

/** Row i joined with the rows after it until the text has about `words` words (cheap proxy for tokens). */
export function lengthen(texts: readonly string[], i: number, words: number): string {
  let out = texts[i % texts.length];
  for (let j = i + 1; out.split(' ').length < words; j++) out += ' ' + texts[j % texts.length];
  return out;
}

/** The texts (and labels) of training step `step`: consecutive rows, wrapping around the dataset. */
export function stepBatch(c: BenchCase, data: { columns: string[][]; labels?: number[] }, step: number): { columns: string[][]; labels?: number[] } {
  const n = data.columns[0].length;
  const rows = Array.from({ length: c.batch }, (_, i) => (step * c.batch + i) % n);
  const text = (col: string[], r: number) => (c.minWords ? lengthen(col, r, c.minWords) : col[r]);
  return {
    columns: data.columns.map((col) => rows.map((r) => text(col, r))),
    labels: data.labels ? rows.map((r) => data.labels![r]) : undefined,
  };
}

export function buildModel(spec: ModelSpec, seed: number): SentenceTransformer {
  const tok = defaultTokenizer();
  if (spec.kind === 'static') return new SentenceTransformer([StaticEmbedding.random(tok, { dim: spec.dim ?? 256, seed })]);
  const preset = spec.preset ?? 'minilm-l6';
  const t = Transformer.random(tok, { preset, maxSeqLength: spec.maxSeqLength ?? 128, seed });
  return new SentenceTransformer([t, new Pooling(BERT_PRESETS[preset].hiddenSize, { mode: 'mean' })]);
}

/** The ids the model itself would feed its first module (tokenize is the SDK's own path). */
export function encodeColumns(model: SentenceTransformer, columns: readonly string[][]): EncodedColumn[] {
  return columns.map((texts) => {
    const f = model.tokenize(texts);
    const col = { inputIds: f.inputIds.arraySync() as number[][], attentionMask: f.attentionMask.arraySync() as number[][] };
    f.inputIds.dispose();
    f.attentionMask.dispose();
    return col;
  });
}

export function writeInputs(file: string, value: unknown): void {
  writeFileSync(file, JSON.stringify(value));
}

export function parseCase(argv: readonly string[]): BenchCase {
  const i = argv.indexOf('--case');
  if (i < 0 || !argv[i + 1]) throw new Error('bench worker: expected --case <JSON>');
  return JSON.parse(argv[i + 1]) as BenchCase;
}

/** Size of the wasm heap (it only grows), or 0 on other backends. */
export function wasmHeapBytes(backend: unknown): number {
  return (backend as { wasm?: { HEAPU8?: Uint8Array } }).wasm?.HEAPU8?.length ?? 0;
}

/** CPU seconds (user + system, all threads) of this process since `since`: robust to other load on the machine. */
export function cpuTime(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1e6;
}

/** The last line a worker prints: one JSON object run.mjs parses. */
export function report(result: object): void {
  process.stdout.write(`BENCH_RESULT ${JSON.stringify(result)}\n`);
}

export function runWorker(main: () => Promise<void>): void {
  main().catch((e) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
