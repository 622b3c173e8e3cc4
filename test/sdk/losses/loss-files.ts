// Finds a loss's source file by the class name in its `catalogEntry` (files are named by kebab-case, but
// names such as CoSENTLoss or GISTEmbedLoss kebab-case ambiguously, so the entry is the key).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const LOSSES_DIR = join(__dirname, '..', '..', '..', 'sdk', 'src', 'losses');

export interface LossModule {
  file: string;
  exports: Record<string, unknown>;
}

/** The module whose catalogEntry names `className`, or undefined when no such file exists yet. */
export function lossModule(className: string): LossModule | undefined {
  for (const file of readdirSync(LOSSES_DIR)) {
    if (!file.endsWith('.ts')) continue;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(join(LOSSES_DIR, file)) as Record<string, unknown>;
    if ((exports.catalogEntry as { name?: string } | undefined)?.name === className) return { file, exports };
  }
  return undefined;
}
