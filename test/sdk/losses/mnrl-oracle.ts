// A float64 scalar transcription of MultipleNegativesRankingLoss (LOSSES.md), independent of tfjs, for the
// MNRL / MNSRL / cached tests. `frozen` supplies the similarities the hardness penalty reads (the reference
// detaches them), so finite differences of this oracle give the reference's gradient.
import { cos, dot, logSumExp, mean, type Matrix } from './gradient-checks';

export interface MnrlOracleOptions {
  scale?: number;
  similarityFct?: 'cos_sim' | 'dot_score' | 'euclidean_sim' | 'manhattan_sim';
  directions?: readonly string[];
  partitionMode?: 'joint' | 'per_direction';
  hardnessMode?: 'in_batch_negatives' | 'hard_negatives' | 'all_negatives' | null;
  hardnessStrength?: number;
}

export function similarity64(name: string): (a: number[], b: number[]) => number {
  switch (name) {
    case 'cos_sim':
      return (a, b) => cos(a, b);
    case 'dot_score':
      return dot;
    case 'euclidean_sim':
      return (a, b) => -Math.sqrt(a.reduce((s, v, i) => s + (v - b[i]) ** 2, 0));
    case 'manhattan_sim':
      return (a, b) => -a.reduce((s, v, i) => s + Math.abs(v - b[i]), 0);
    default:
      throw new Error(`oracle: unknown similarity ${name}`);
  }
}

export function mnrlOracle(columns: Matrix[], o: MnrlOracleOptions = {}, frozen: Matrix[] = columns): number {
  const scale = o.scale ?? 20;
  const sim = similarity64(o.similarityFct ?? 'cos_sim');
  const dirs = o.directions ?? ['query_to_doc'];
  const alpha = o.hardnessMode ? (o.hardnessStrength ?? 0) : 0;
  const [a, ...docCols] = columns;
  const [fa, ...fDocCols] = frozen;
  const B = a.length;
  const docs = docCols.flat();
  const fDocs = fDocCols.flat();
  const penalised = (i: number, k: number): boolean => {
    const own = k % B === i;
    const isPositive = own && k < B;
    if (o.hardnessMode === 'in_batch_negatives') return !own;
    if (o.hardnessMode === 'hard_negatives') return own && !isPositive;
    return !isPositive;
  };
  return mean(
    a.map((ai, i) => {
      const blocks: number[][] = [];
      blocks.push(docs.map((d, k) => scale * sim(ai, d) + (alpha > 0 && penalised(i, k) ? alpha * sim(fa[i], fDocs[k]) : 0)));
      if (dirs.includes('query_to_query')) blocks.push(a.map((aj, j) => (j === i ? -Infinity : scale * sim(ai, aj))));
      if (dirs.includes('doc_to_query')) blocks.push(a.map((aj) => scale * sim(aj, docCols[0][i])));
      if (dirs.includes('doc_to_doc')) blocks.push(docs.map((d, k) => (k % B === i ? -Infinity : scale * sim(d, docCols[0][i]))));
      const positive = blocks[0][i];
      const logZ = (o.partitionMode ?? 'joint') === 'joint' ? logSumExp(blocks.flat()) : mean(blocks.map(logSumExp));
      return logZ - positive;
    }),
  );
}
