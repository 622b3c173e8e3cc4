// A dataset folder: one file per split, named `train`, `validation` (or `valid`, `val`, `dev`) and
// `test`, optionally behind a subset prefix (`pairs-train.jsonl`, `triplets-train.jsonl`).
// `valid`, `val` and `dev` are all called `validation`, as Hugging Face datasets does.
import { readdir } from 'node:fs/promises';
import { join, extname, basename } from 'node:path';
import { DataFileError, messageOf } from './errors';
import { formatOfPath } from './format';

const SPLIT_NAMES: Record<string, string> = { train: 'train', validation: 'validation', valid: 'validation', val: 'validation', dev: 'validation', test: 'test' };

export interface SplitFile {
  split: string;
  subset: string;
  path: string;
}

/** The split files of a folder, for one subset (required when the folder holds several). */
export async function splitFiles(dir: string, subset?: string): Promise<SplitFile[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (e) {
    throw new DataFileError(dir, `cannot list the folder: ${messageOf(e)}`);
  }
  const found: SplitFile[] = [];
  for (const name of names.sort()) {
    if (!formatOfPath(name)) continue;
    const m = /^(?:(.+?)[-_])?(train|validation|valid|val|dev|test)$/i.exec(basename(name, extname(name)));
    if (m) found.push({ split: SPLIT_NAMES[m[2].toLowerCase()], subset: m[1] ?? '', path: join(dir, name) });
  }
  if (found.length === 0) {
    throw new DataFileError(dir, `no split files found: expected files such as train.jsonl, validation.csv, test.parquet (found ${names.join(', ') || 'nothing'})`);
  }
  const subsets = [...new Set(found.map((f) => f.subset))];
  const chosen = subset ?? (subsets.length === 1 ? subsets[0] : undefined);
  if (chosen === undefined) {
    throw new DataFileError(dir, `holds several subsets (${subsets.map((s) => `'${s}'`).join(', ')}): pass { subset } to choose one`);
  }
  const order = ['train', 'validation', 'test'];
  const files = found.filter((f) => f.subset === chosen).sort((a, b) => order.indexOf(a.split) - order.indexOf(b.split) || a.path.localeCompare(b.path));
  if (files.length === 0) throw new DataFileError(dir, `has no subset '${chosen}' (it has ${subsets.map((s) => `'${s}'`).join(', ')})`);
  const splits = files.map((f) => f.split);
  const twice = splits.find((s, k) => splits.indexOf(s) !== k);
  if (twice) throw new DataFileError(dir, `has several files for split '${twice}': ${files.filter((f) => f.split === twice).map((f) => basename(f.path)).join(', ')}`);
  return files;
}
