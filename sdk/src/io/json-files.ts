// Reading and writing the small JSON files of a model folder, with errors that name the file.
import { readFile, writeFile, access } from 'node:fs/promises';

export async function readJSON<T>(path: string, what = 'file'): Promise<T> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `missing ${what}: ${path}` : `cannot read ${path}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (e) {
    throw new Error(`${path} is not valid JSON: ${(e as Error).message}`);
  }
}

export async function readJSONIfExists<T>(path: string): Promise<T | undefined> {
  try {
    await access(path);
  } catch {
    return undefined;
  }
  return readJSON<T>(path);
}

export async function writeJSON(path: string, value: unknown): Promise<void> {
  await writeFile(path, JSON.stringify(value, null, 2) + '\n');
}
