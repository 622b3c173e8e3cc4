// Rows grouped by class, for drawing a same-class partner or a different-class negative in O(1) per
// draw (seeded). Classes keep the order of their first row; rows keep file order within a class.

import type { RandomSource } from '../../util/random';

export class ClassIndex {
  private readonly order: number[];
  private readonly start: number[];
  private readonly size: number[];
  private readonly classOf: number[];
  private readonly rank: number[];

  constructor(labels: readonly (string | number)[]) {
    const ids = new Map<string, number>();
    this.classOf = labels.map((l) => {
      const key = `${typeof l}:${l}`;
      let id = ids.get(key);
      if (id === undefined) {
        id = ids.size;
        ids.set(key, id);
      }
      return id;
    });
    this.size = new Array<number>(ids.size).fill(0);
    for (const c of this.classOf) this.size[c]++;
    this.start = [];
    let s = 0;
    for (const n of this.size) {
      this.start.push(s);
      s += n;
    }
    const next = this.start.slice();
    this.order = new Array<number>(labels.length);
    this.rank = new Array<number>(labels.length);
    this.classOf.forEach((c, i) => {
      this.rank[i] = next[c] - this.start[c];
      this.order[next[c]++] = i;
    });
  }

  get classCount(): number {
    return this.size.length;
  }

  /** A random other row of row i's class, or undefined when i is alone in its class. */
  sameClass(i: number, rng: RandomSource): number | undefined {
    const c = this.classOf[i];
    if (this.size[c] < 2) return undefined;
    let k = Math.floor(rng.next() * (this.size[c] - 1));
    if (k >= this.rank[i]) k++;
    return this.order[this.start[c] + k];
  }

  /** A random row of another class than row i's, or undefined when there is only one class. */
  otherClass(i: number, rng: RandomSource): number | undefined {
    const c = this.classOf[i];
    const others = this.order.length - this.size[c];
    if (others === 0) return undefined;
    const k = Math.floor(rng.next() * others);
    return this.order[k < this.start[c] ? k : k + this.size[c]];
  }
}
