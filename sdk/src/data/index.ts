// Datasets: loading (CSV, TSV, JSON Lines, JSON, Parquet, text, split folders), the Dataset type,
// validation against a loss's formats, converters between formats, and batch samplers.
export { Dataset } from './dataset';
export type { DatasetOptions, TrainTestSplitOptions, Renamed, RowOfColumns } from './dataset';
export type { CellValue, LabelValue, Row, RowShape, LabelOption } from './types';
export { LABEL_COLUMN_NAMES } from './types';
export type { DataFrame } from './dataframe';
export { loadDataset, loadDatasetDict, DataFileError } from './load';
export type { LoadDatasetOptions, DatasetDict, DataFormat } from './load';
export { validateDataset, validateForLoss, inspectDataset, describeLabels, DatasetValidationError } from './validate';
export type { ValidateOptions, ValidationIssue, ValidationReport, IssueKind, LossFormatsLike } from './validate';
export * from './converters';
export * from './samplers';
