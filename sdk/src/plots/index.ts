// plotly.js figures as plain objects, with self-contained HTML export and rich notebook display.
export { Figure } from './figure';
export type { HTMLOptions } from './figure';
export type { PlotlyTrace, ScatterTrace, HeatmapTrace, PlotlyLayout, PlotlyAxis, PlotlyTitle } from './plotly-types';
export { trainingCurves } from './training-curves';
export type { TrainingCurvesOptions, TrainingHistory, HistoryRecord, DataFrameLike } from './training-curves';
export { similarityHeatmap } from './similarity-heatmap';
export type { SimilarityHeatmapOptions } from './similarity-heatmap';
export { embeddingProjection } from './embedding-projection';
export type { EmbeddingProjectionOptions } from './embedding-projection';
export { matryoshkaCurve } from './matryoshka-curve';
export type { MatryoshkaCurveOptions } from './matryoshka-curve';
export { pca } from './pca';
export type { PcaResult, PcaOptions } from './pca';
