// The functional cores of every loss, as torch.nn.functional: embeddings (one [B, d] matrix per text
// column) and labels in, a scalar out. Option names are the camelCase of sentence-transformers' arguments.
export { multipleNegativesRankingLoss } from './multiple-negatives-ranking-loss';
export { multipleNegativesSymmetricRankingLoss } from './multiple-negatives-symmetric-ranking-loss';
export { cachedMultipleNegativesRankingLoss } from './cached-multiple-negatives-ranking-loss';
export { cachedMultipleNegativesSymmetricRankingLoss } from './cached-multiple-negatives-symmetric-ranking-loss';
export { gistEmbedLoss } from './gist-embed-loss';
export { cachedGistEmbedLoss } from './cached-gist-embed-loss';
export { megaBatchMarginLoss } from './mega-batch-margin-loss';
export { contrastiveTensionLoss } from './contrastive-tension-loss';
export { contrastiveTensionLossInBatchNegatives } from './contrastive-tension-loss-in-batch-negatives';
export { globalOrthogonalRegularizationLoss, globalOrthogonalRegularizationParts } from './global-orthogonal-regularization-loss';
export { cosSim, dotScore, euclideanSim, manhattanSim, pairwiseCosSim, pairwiseDotScore, pairwiseEuclideanSim, pairwiseManhattanSim, pairwiseAngleSim, normalizeRows } from './similarity';
