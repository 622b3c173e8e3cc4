// A random source that replays recorded k-of-n draws (the reference fixtures' `randomSamples`, Python's
// random.sample results), so the modifiers pick exactly the dims / layers the reference picked.
import type { IndexRandomSource } from '../../../sdk/src/losses/sample-indices';

export class ReplayedSamples implements IndexRandomSource {
  /** Every (n, k) the loss asked for, in order. */
  readonly requests: [number, number][] = [];
  private readonly queue: number[][];

  constructor(draws: readonly (readonly number[])[]) {
    this.queue = draws.map((d) => [...d]);
  }

  next(): number {
    throw new Error('ReplayedSamples only replays whole draws: next() was called');
  }

  sample(n: number, k: number): number[] {
    this.requests.push([n, k]);
    const draw = this.queue.shift();
    if (!draw) throw new Error(`ReplayedSamples: no recorded draw left for sample(${n}, ${k})`);
    return draw;
  }

  /** Draws not consumed (a test asserts 0). */
  get remaining(): number {
    return this.queue.length;
  }
}
