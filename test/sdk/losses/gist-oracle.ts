// A float64 transcription of GISTEmbedLoss (LOSSES.md) for the GIST and CachedGIST tests.
import { cos, logSumExp, mean, type Matrix } from './gradient-checks';

export interface GistOracleOptions {
  temperature?: number;
  marginStrategy?: 'absolute' | 'relative';
  margin?: number;
  contrastAnchors?: boolean;
  contrastPositives?: boolean;
}

export function gistOracle([a, p, ...negs]: Matrix[], [ga, gp, ...gnegs]: Matrix[], o: GistOracleOptions = {}): number {
  const { temperature = 0.01, marginStrategy = 'absolute', margin = 0, contrastAnchors = true, contrastPositives = true } = o;
  const c = (x: number[], y: number[]) => cos(x, y, 1e-8);
  return mean(
    a.map((ai, i) => {
      const t = c(ga[i], gp[i]);
      const threshold = marginStrategy === 'absolute' ? t - margin : t - Math.abs(t) * margin;
      const block = (rows: Matrix, cand: Matrix, guideRow: number[], guideCand: Matrix, protect: boolean) =>
        cand.map((x, j) => (c(guideRow, guideCand[j]) > threshold && !(protect && j === i) ? -Infinity : c(rows[i], x) / temperature));
      const scores = [...block(a, p, ga[i], gp, true)];
      if (contrastAnchors) scores.push(...block(a, a, ga[i], ga, false));
      if (contrastPositives) scores.push(...block(p, p, gp[i], gp, false));
      negs.forEach((n, k) => scores.push(...block(a, n, ga[i], gnegs[k], false)));
      return logSumExp(scores) - scores[i];
    }),
  );
}
