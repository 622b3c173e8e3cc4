// Which reader a path needs, from its extension (or the `format` option).
import { extname } from 'node:path';

export type DataFormat = 'csv' | 'tsv' | 'jsonl' | 'json' | 'parquet' | 'text';

export const DATA_FORMATS: readonly DataFormat[] = ['csv', 'tsv', 'jsonl', 'json', 'parquet', 'text'];

const BY_EXTENSION: Record<string, DataFormat> = {
  '.csv': 'csv',
  '.tsv': 'tsv',
  '.tab': 'tsv',
  '.jsonl': 'jsonl',
  '.ndjson': 'jsonl',
  '.json': 'json',
  '.parquet': 'parquet',
  '.pq': 'parquet',
  '.txt': 'text',
};

export function formatOfPath(path: string): DataFormat | undefined {
  return BY_EXTENSION[extname(path).toLowerCase()];
}
