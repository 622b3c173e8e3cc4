// Apache Parquet (as Hugging Face datasets ship them), read with hyparquet: a pure-JavaScript reader,
// so nothing native to install. Strings, numbers, booleans, 64-bit integers and lists of numbers
// (embedding columns) map to cells; other nested types are reported by column and row.
import { readFile } from 'node:fs/promises';
import { DataFileError, messageOf } from './errors';
import { TableBuilder, type Table } from './table';

export async function parseParquet(bytes: Uint8Array, file: string): Promise<Table> {
  // hyparquet is an ES module: Node 20.19+ loads it through require.
  const { parquetReadObjects } = require('hyparquet') as typeof import('hyparquet');
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    rows = await parquetReadObjects({ file: buffer });
  } catch (e) {
    throw new DataFileError(file, `not a readable Parquet file: ${messageOf(e)}`);
  }
  const table = new TableBuilder(file);
  rows.forEach((r, i) => table.add(r, {}, `row ${i}`));
  return table.build();
}

export async function readParquetFile(file: string): Promise<Table> {
  return parseParquet(await readFile(file), file);
}
