// single sentences → (damaged_sentence, original_sentence) pairs for DenoisingAutoEncoderLoss (TSDAE).
// The default noise is TSDAE's deletion: each word is deleted with probability `deletionRatio` (0.6),
// at least one word is kept. Words are split NLTK-style (punctuation marks are words of their own)
// and re-joined without spaces before closing punctuation. Any other noise: pass `noise(text, rng)`.
import { Rng, type RandomSource } from '../../util/random';
import { Dataset } from '../dataset';
import type { DamagedOriginal } from './formats';
import { asDataset, pickTextColumns, textsOf, type DatasetInput } from './input';

export type NoiseFunction = (text: string, rng: RandomSource) => string;

export interface TsdaeNoiseOptions {
  /** The sentence column (default: the first text column). */
  column?: string;
  /** Probability of deleting each word (default 0.6, the TSDAE paper's best). */
  deletionRatio?: number;
  /** Replaces the deletion noise. */
  noise?: NoiseFunction;
  seed?: number;
}

const WORD = /[\p{L}\p{N}\p{M}_]+(?:['’][\p{L}\p{N}\p{M}_]+)*|[^\s\p{L}\p{N}\p{M}_]/gu;

/** Words and punctuation marks of a text, in order. */
export function splitWords(text: string): string[] {
  return text.match(WORD) ?? [];
}

/** Words joined by spaces, without a space before closing punctuation or after an opening bracket. */
export function joinWords(words: readonly string[]): string {
  return words
    .join(' ')
    .replace(/ ([.,!?;:%)\]}»…])/g, '$1')
    .replace(/([([{«$]) /g, '$1');
}

/** TSDAE's deletion noise: keep each word with probability 1 − ratio; never delete every word. */
export function deletionNoise(text: string, rng: RandomSource, ratio = 0.6): string {
  const words = splitWords(text);
  if (words.length === 0) return text;
  const keep = words.map(() => rng.next() > ratio);
  if (!keep.some(Boolean)) keep[Math.floor(rng.next() * words.length)] = true;
  return joinWords(words.filter((_, i) => keep[i]));
}

export function tsdaeNoise<R extends object>(data: DatasetInput<R>, options: TsdaeNoiseOptions = {}): Dataset<DamagedOriginal> {
  const name = 'tsdaeNoise';
  const ratio = options.deletionRatio ?? 0.6;
  if (!(ratio >= 0 && ratio <= 1)) throw new Error(`${name}: deletionRatio must be in [0, 1]; got ${ratio}`);
  const ds = asDataset(data, name);
  const [column] = pickTextColumns(ds, 1, name, options.column === undefined ? undefined : [options.column]);
  const texts = textsOf(ds, column, name);
  const rng = new Rng(options.seed ?? 42);
  const noise: NoiseFunction = options.noise ?? ((t, r) => deletionNoise(t, r, ratio));
  const damaged = texts.map((t, i) => {
    const d = noise(t, rng);
    if (typeof d !== 'string') throw new Error(`${name}: the noise function returned ${typeof d} for row ${i}; it must return a string`);
    return d;
  });
  return Dataset.fromColumns({ damaged_sentence: damaged, original_sentence: texts }, { label: null, source: ds.source });
}
