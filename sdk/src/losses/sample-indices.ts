// The random draws of the loss modifiers (Matryoshka dims, AdaptiveLayer layers): k distinct indices out
// of n, as Python's random.sample(range(n), k). A caller replaces the generator to reproduce a run, or
// to replay draws recorded elsewhere (a source with its own `sample` is asked directly).
import { Rng, type RandomSource } from '../util/random';

/** A RandomSource, optionally with its own k-of-n draw (Rng has one; a replaying source can have one too). */
export type IndexRandomSource = RandomSource & { sample?(n: number, k: number): number[] };

/**
 * The generator used when a functional modifier is called without `rng`: one shared stream, as
 * sentence-transformers uses Python's global `random` (a fresh seeded generator per call would draw the
 * same dims every step).
 */
export const defaultModifierRng = new Rng(42);

/** k distinct indices from [0, n) in draw order; `what` names the caller in errors. */
export function sampleIndices(rng: IndexRandomSource, n: number, k: number, what: string): number[] {
  if (typeof rng.sample === 'function') {
    const drawn = rng.sample(n, k);
    const valid =
      Array.isArray(drawn) &&
      drawn.length === k &&
      new Set(drawn).size === k &&
      drawn.every((i) => Number.isInteger(i) && i >= 0 && i < n);
    if (!valid) throw new Error(`${what}: the random source's sample(${n}, ${k}) must return ${k} distinct integers in [0, ${n}); got ${JSON.stringify(drawn)}`);
    return drawn;
  }
  // Partial Fisher-Yates on next(), the same procedure as Rng.sample.
  const pool = [...Array(n).keys()];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng.next() * (n - i));
    [pool[i], pool[j]] = [pool[j], pool[i]];
  }
  return pool.slice(0, k);
}

/**
 * The indices a modifier uses this step: all of [0, n) unless 0 < perStep < n, then perStep of them drawn
 * at random (the reference's `if 0 < per_step < n: random.sample(...)`).
 */
export function selectIndices(rng: IndexRandomSource, n: number, perStep: number, what: string): number[] {
  if (perStep > 0 && perStep < n) return sampleIndices(rng, n, perStep, what);
  return [...Array(n).keys()];
}
