// NLI (premise, hypothesis, label) → (anchor, positive) pairs: every entailment row gives
// (premise, hypothesis); neutral and contradiction rows are dropped. Row order is kept.
import { Dataset } from '../dataset';
import type { AnchorPositive } from './formats';
import type { DatasetInput } from './input';
import { readNli, type NliOptions } from './nli-labels';

export function nliToPairs<R extends object>(data: DatasetInput<R>, options: NliOptions = {}): Dataset<AnchorPositive> {
  const nli = readNli(data, options, 'nliToPairs');
  const out = { anchor: [] as string[], positive: [] as string[] };
  nli.relations.forEach((r, i) => {
    if (r !== 'entailment') return;
    out.anchor.push(nli.premises[i]);
    out.positive.push(nli.hypotheses[i]);
  });
  return Dataset.fromColumns(out, { label: null, source: nli.source });
}
