// CachedMNRL memory case of run.mjs: runs bench/cached-mnrl.ts (one process per configuration) and turns its
// markdown rows into rows of the bench table. SDK only: the numbers compare two SDK losses.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export function runCachedMnrl({ root, log, quick }) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'cached-mnrl.ts'), ...(quick ? ['--quick'] : [])], {
    cwd: root,
    encoding: 'utf8',
    timeout: 900_000,
    env: { ...process.env, SENTENCE_TFJS_QUIET: '1' },
  });
  const lines = (r.stdout ?? '').split('\n').filter((l) => /^\| (CachedMNRL|MNRL)/.test(l));
  if (r.status !== 0 || lines.length === 0) {
    const why = `bench/cached-mnrl.ts failed: ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' ').slice(0, 200)}`;
    log(`  ${why}`);
    return { error: why, rows: [['CachedMNRL peak memory', '–', '–', '–', '–', why]] };
  }
  const description = (r.stdout ?? '').split('\n').find((l) => l.startsWith('One training step')) ?? '';
  const rows = lines.map((l) => {
    const [name, batch, peak, heap, seconds] = l.split('|').slice(1, -1).map((s) => s.trim());
    if (!heap) return [`${name}, batch ${batch}: peak MiB`, '–', '–', '–', '–', peak];
    return [`${name}, batch ${batch}: peak tensor MiB above weights (wasm heap MiB)`, `${peak} (${heap})`, '–', '–', '–', `${seconds} s/step`];
  });
  lines.forEach((l) => log(`  ${l}`));
  return { description, raw: lines, rows };
}
