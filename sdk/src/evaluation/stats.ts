// The statistics behind the evaluators, on plain numbers (float64), written to agree with
// scipy.stats and sklearn.metrics to 1e-6; test/reference/evaluation.py writes the fixtures that check it.

type Numbers = ArrayLike<number>;

function checkSameLength(what: string, a: Numbers, b: Numbers): void {
  if (a.length !== b.length) throw new Error(`${what} needs two arrays of the same length; got ${a.length} and ${b.length}`);
}

export function mean(xs: Numbers): number {
  if (xs.length === 0) return NaN;
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return s / xs.length;
}

/** Pearson's r, as scipy.stats.pearsonr: NaN when either input is constant. */
export function pearson(x: Numbers, y: Numbers): number {
  checkSameLength('pearson', x, y);
  if (x.length < 2) throw new Error(`pearson needs at least 2 values; got ${x.length}`);
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
}

/** 1-based ranks with ties given their average rank (scipy.stats.rankdata, method='average'). */
export function rankAverage(x: Numbers): Float64Array {
  const order = Array.from({ length: x.length }, (_, i) => i).sort((a, b) => x[a] - x[b]);
  const ranks = new Float64Array(x.length);
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j + 1 < order.length && x[order[j + 1]] === x[order[i]]) j++;
    const avg = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) ranks[order[t]] = avg;
    i = j + 1;
  }
  return ranks;
}

/** Spearman's rho, as scipy.stats.spearmanr: Pearson's r of the average ranks. */
export function spearman(x: Numbers, y: Numbers): number {
  checkSameLength('spearman', x, y);
  return pearson(rankAverage(x), rankAverage(y));
}

function checkBinaryLabels(what: string, labels: Numbers): void {
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== 0 && labels[i] !== 1) throw new Error(`${what} expects labels 0 or 1; got ${labels[i]} at row ${i}`);
  }
}

/**
 * sklearn.metrics.average_precision_score for binary labels: sum over distinct score thresholds (ties form
 * one step) of (recall_n - recall_{n-1}) * precision_n. 0 when there is no positive (sklearn's result).
 */
export function averagePrecision(labels: Numbers, scores: Numbers): number {
  checkSameLength('averagePrecision', labels, scores);
  checkBinaryLabels('averagePrecision', labels);
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);
  let totalPositives = 0;
  for (let i = 0; i < labels.length; i++) totalPositives += labels[i];
  if (totalPositives === 0) return 0;
  let tp = 0;
  let seen = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let i = 0; i < order.length; i++) {
    tp += labels[order[i]];
    seen++;
    const lastOfTie = i + 1 === order.length || scores[order[i + 1]] !== scores[order[i]];
    if (!lastOfTie) continue;
    const recall = tp / totalPositives;
    ap += (recall - prevRecall) * (tp / seen);
    prevRecall = recall;
  }
  return ap;
}

/** sklearn.metrics.matthews_corrcoef for binary labels and predictions; 0 when undefined. */
export function matthewsCorrcoef(labels: Numbers, predicted: Numbers): number {
  checkSameLength('matthewsCorrcoef', labels, predicted);
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i] === 1;
    const p = predicted[i] === 1;
    if (l && p) tp++;
    else if (!l && !p) tn++;
    else if (p) fp++;
    else fn++;
  }
  const denom = Math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn));
  return denom === 0 ? 0 : (tp * tn - fp * fn) / denom;
}

/**
 * Rows sorted from most to least similar: descending scores when greaterIsBetter (similarities), ascending
 * when not (distances). Stable, like Python's sorted(..., reverse=...), so ties keep input order.
 */
function sortedRows(scores: Numbers, labels: Numbers, greaterIsBetter: boolean): { score: number; label: number }[] {
  checkSameLength('threshold search', scores, labels);
  checkBinaryLabels('threshold search', labels);
  const rows = Array.from({ length: scores.length }, (_, i) => ({ score: scores[i], label: labels[i] }));
  return rows.sort((a, b) => (greaterIsBetter ? b.score - a.score : a.score - b.score));
}

export interface AccuracyAtThreshold {
  accuracy: number;
  /** Midpoint between the last score called similar and the next one; -1 if no cut beats 0 accuracy. */
  threshold: number;
}

/** The best accuracy over all cuts of the sorted scores (BinaryClassificationEvaluator.find_best_acc_and_threshold). */
export function findBestAccuracyAndThreshold(scores: Numbers, labels: Numbers, greaterIsBetter: boolean): AccuracyAtThreshold {
  const rows = sortedRows(scores, labels, greaterIsBetter);
  let best = 0;
  let threshold = -1;
  let positivesSoFar = 0;
  let remainingNegatives = rows.filter((r) => r.label === 0).length;
  for (let i = 0; i < rows.length - 1; i++) {
    if (rows[i].label === 1) positivesSoFar++;
    else remainingNegatives--;
    const acc = (positivesSoFar + remainingNegatives) / rows.length;
    if (acc > best) {
      best = acc;
      threshold = (rows[i].score + rows[i + 1].score) / 2;
    }
  }
  return { accuracy: best, threshold };
}

export interface F1AtThreshold {
  f1: number;
  precision: number;
  recall: number;
  threshold: number;
}

/** The best F1 over all cuts of the sorted scores (BinaryClassificationEvaluator.find_best_f1_and_threshold). */
export function findBestF1AndThreshold(scores: Numbers, labels: Numbers, greaterIsBetter: boolean): F1AtThreshold {
  const rows = sortedRows(scores, labels, greaterIsBetter);
  const totalPositives = rows.filter((r) => r.label === 1).length;
  const best: F1AtThreshold = { f1: 0, precision: 0, recall: 0, threshold: 0 };
  let extracted = 0;
  let correct = 0;
  for (let i = 0; i < rows.length - 1; i++) {
    extracted++;
    if (rows[i].label === 1) correct++;
    if (correct === 0) continue;
    const precision = correct / extracted;
    const recall = correct / totalPositives;
    const f1 = (2 * precision * recall) / (precision + recall);
    if (f1 > best.f1) Object.assign(best, { f1, precision, recall, threshold: (rows[i].score + rows[i + 1].score) / 2 });
  }
  return best;
}

/** Discounted cumulative gain of the first k relevances: sum rel_i / log2(i + 2). */
export function dcgAtK(relevances: Numbers, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(relevances.length, k); i++) dcg += relevances[i] / Math.log2(i + 2);
  return dcg;
}

export function meanSquaredError(a: Numbers, b: Numbers): number {
  checkSameLength('meanSquaredError', a, b);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}
