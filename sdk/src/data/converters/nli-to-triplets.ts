// NLI (premise, hypothesis, label) → (anchor, positive, negative) triplets, the Sentence-BERT recipe:
// rows grouped by premise (premises in order of first appearance); the j-th entailment hypothesis of a
// premise is paired with its contradiction hypothesis number j mod (number of contradictions), or a
// random one (negatives: 'random', seeded). Premises without a contradiction give no triplet.
import { Rng } from '../../util/random';
import { Dataset } from '../dataset';
import type { Triplet } from './formats';
import type { DatasetInput } from './input';
import { readNli, type NliOptions } from './nli-labels';

export interface NliToTripletsOptions extends NliOptions {
  /** How each entailment gets its contradiction: cycling through them (default) or at random. */
  negatives?: 'cycle' | 'random';
  seed?: number;
}

export function nliToTriplets<R extends object>(data: DatasetInput<R>, options: NliToTripletsOptions = {}): Dataset<Triplet> {
  const nli = readNli(data, options, 'nliToTriplets');
  const groups = new Map<string, { entailments: string[]; contradictions: string[] }>();
  nli.relations.forEach((r, i) => {
    let g = groups.get(nli.premises[i]);
    if (!g) groups.set(nli.premises[i], (g = { entailments: [], contradictions: [] }));
    if (r === 'entailment') g.entailments.push(nli.hypotheses[i]);
    else if (r === 'contradiction') g.contradictions.push(nli.hypotheses[i]);
  });
  const rng = new Rng(options.seed ?? 42);
  const out = { anchor: [] as string[], positive: [] as string[], negative: [] as string[] };
  for (const [premise, g] of groups) {
    const k = g.contradictions.length;
    if (k === 0) continue;
    g.entailments.forEach((positive, j) => {
      out.anchor.push(premise);
      out.positive.push(positive);
      out.negative.push(g.contradictions[options.negatives === 'random' ? rng.int(k) : j % k]);
    });
  }
  return Dataset.fromColumns(out, { label: null, source: nli.source });
}
