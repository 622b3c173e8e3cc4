// Similarity functions under sentence-transformers' names (util.cos_sim, util.dot_score, ...), so a
// Python configuration maps one to one. Matrix forms compare every row of a with every row of b;
// pairwise forms compare row i with row i.
import * as tf from '@tensorflow/tfjs';

export type MatrixSimilarityName = 'cos_sim' | 'dot_score' | 'euclidean_sim' | 'manhattan_sim';
export type PairwiseSimilarityName =
  | 'pairwise_cos_sim'
  | 'pairwise_dot_score'
  | 'pairwise_euclidean_sim'
  | 'pairwise_manhattan_sim'
  | 'pairwise_angle_sim';

// Row L2 norms [N, 1] whose gradient at a zero row is 0, as torch's norm backward. tf.norm's gradient there
// is 0 · 1/sqrt(0) = NaN, which would poison every gradient of a batch holding one zero embedding.
const rowNormsKeepDims = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const norms = tf.sqrt(tf.sum(tf.square(x), 1, true));
  save([x, norms]);
  return {
    value: norms,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.mul(dy, tf.divNoNan(saved[0], saved[1])),
  };
});

/** Rows scaled to unit L2 norm, as torch.nn.functional.normalize (eps 1e-12): zero rows stay zero (finite gradient). */
export function normalizeRows(x: tf.Tensor2D, eps = 1e-12): tf.Tensor2D {
  return tf.tidy(() => tf.div(x, tf.maximum(rowNormsKeepDims(x) as tf.Tensor2D, eps)));
}

/** cos_sim(a, b): [Na, Nb] */
export function cosSim(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.matMul(normalizeRows(a), normalizeRows(b), false, true));
}

/** dot_score(a, b): [Na, Nb] */
export function dotScore(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.matMul(a, b, false, true);
}

/** Squared euclidean distances [Na, Nb] from the Gram matrix, clamped at 0. */
export function squaredEuclideanDistances(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    const aa = tf.sum(tf.square(a), 1, true);
    const bb = tf.reshape(tf.sum(tf.square(b), 1), [1, -1]);
    return tf.relu(tf.add(tf.sub(aa, tf.mul(2, tf.matMul(a, b, false, true))), bb)) as tf.Tensor2D;
  });
}

// sqrt whose gradient at 0 is 0 instead of NaN (0 · inf), as torch.cdist's backward: identical rows (a
// duplicate text in the batch) must not poison the gradient.
const sqrtZeroGradAtZero = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor;
  const save = args[1] as tf.GradSaveFunc;
  const root = tf.sqrt(x);
  save([root]);
  return {
    value: root,
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => tf.divNoNan(dy, tf.mul(saved[0], 2)),
  };
});

/** euclidean_sim(a, b) = -||a_i - b_j||_2: [Na, Nb] (sqrt of the explicit difference, like torch.cdist). */
export function euclideanSim(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.neg(sqrtZeroGradAtZero(tf.sum(tf.square(tf.sub(tf.expandDims(a, 1), tf.expandDims(b, 0))), 2))) as tf.Tensor2D);
}

/** manhattan_sim(a, b) = -||a_i - b_j||_1: [Na, Nb] */
export function manhattanSim(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => tf.neg(tf.sum(tf.abs(tf.sub(tf.expandDims(a, 1), tf.expandDims(b, 0))), 2)) as tf.Tensor2D);
}

export function pairwiseCosSim(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(normalizeRows(a), normalizeRows(b)), 1) as tf.Tensor1D);
}

export function pairwiseDotScore(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(a, b), 1) as tf.Tensor1D);
}

export function pairwiseEuclideanSim(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sqrt(tf.sum(tf.square(tf.sub(a, b)), 1))) as tf.Tensor1D);
}

export function pairwiseManhattanSim(a: tf.Tensor2D, b: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(tf.sum(tf.abs(tf.sub(a, b)), 1)) as tf.Tensor1D);
}

/**
 * pairwise_angle_sim (AnglE): halves as real and imaginary parts, |Re + Im| of the element-wise complex
 * quotient summed, divided by the norms. Odd dimensions are zero-padded by one.
 */
export function pairwiseAngleSim(x: tf.Tensor2D, y: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    let [xp, yp] = [x, y];
    if (x.shape[1] % 2 === 1) {
      xp = tf.pad(x, [[0, 0], [0, 1]]);
      yp = tf.pad(y, [[0, 0], [0, 1]]);
    }
    const h = xp.shape[1] / 2;
    const a = tf.slice(xp, [0, 0], [-1, h]);
    const b = tf.slice(xp, [0, h], [-1, h]);
    const c = tf.slice(yp, [0, 0], [-1, h]);
    const d = tf.slice(yp, [0, h], [-1, h]);
    const re = tf.sum(tf.add(tf.mul(a, c), tf.mul(b, d)), 1);
    const im = tf.sum(tf.sub(tf.mul(b, c), tf.mul(a, d)), 1);
    const norms = tf.mul(tf.norm(xp, 2, 1), tf.norm(yp, 2, 1));
    return tf.abs(tf.div(tf.add(re, im), norms)) as tf.Tensor1D;
  });
}

export const matrixSimilarity: Record<MatrixSimilarityName, (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D> = {
  cos_sim: cosSim,
  dot_score: dotScore,
  euclidean_sim: euclideanSim,
  manhattan_sim: manhattanSim,
};

export const pairwiseSimilarity: Record<PairwiseSimilarityName, (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor1D> = {
  pairwise_cos_sim: pairwiseCosSim,
  pairwise_dot_score: pairwiseDotScore,
  pairwise_euclidean_sim: pairwiseEuclideanSim,
  pairwise_manhattan_sim: pairwiseManhattanSim,
  pairwise_angle_sim: pairwiseAngleSim,
};

export function getMatrixSimilarity(name: string, lossName: string): (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D {
  const f = (matrixSimilarity as Record<string, (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor2D>)[name];
  if (!f) throw new Error(`${lossName}: similarityFct '${name}' is not one of ${Object.keys(matrixSimilarity).join(', ')}`);
  return f;
}

export function getPairwiseSimilarity(name: string, lossName: string): (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor1D {
  const f = (pairwiseSimilarity as Record<string, (a: tf.Tensor2D, b: tf.Tensor2D) => tf.Tensor1D>)[name];
  if (!f) throw new Error(`${lossName}: similarityFct '${name}' is not one of ${Object.keys(pairwiseSimilarity).join(', ')}`);
  return f;
}

/**
 * torch.nn.functional.cosine_similarity of row i with row i (eps 1e-8, as CosineSimilarityLoss, ContrastiveLoss
 * and EmbedDistillLoss use it): a zero row gives 0 and a finite gradient.
 */
export function pairwiseTorchCosineSimilarity(a: tf.Tensor2D, b: tf.Tensor2D, eps = 1e-8): tf.Tensor1D {
  return tf.tidy(() => tf.sum(tf.mul(normalizeRows(a, eps), normalizeRows(b, eps)), 1) as tf.Tensor1D);
}
