// Atomic folder writes: everything goes into a temporary sibling folder, which then replaces the
// target by rename. A crash mid-save leaves the previous model untouched.
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, basename, join } from 'node:path';

export async function writeDirAtomically(target: string, write: (tmpDir: string) => Promise<void>): Promise<void> {
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  const stamp = `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  const tmp = join(parent, `.${basename(target)}.tmp-${stamp}`);
  const old = join(parent, `.${basename(target)}.old-${stamp}`);
  await mkdir(tmp);
  try {
    await write(tmp);
  } catch (e) {
    await rm(tmp, { recursive: true, force: true });
    throw e;
  }
  const existed = await stat(target).then(() => true, () => false);
  if (existed) await rename(target, old);
  try {
    await rename(tmp, target);
  } catch (e) {
    if (existed) await rename(old, target);
    throw e;
  }
  if (existed) await rm(old, { recursive: true, force: true });
}
