// Runs the system's headless Chromium on a local HTML file (no network, throwaway profile).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));

function run(args: string[], htmlPath: string): string {
  const profile = mkdtempSync(join(tmpdir(), 'sentence-tfjs-chromium-'));
  try {
    const r = spawnSync(
      CHROMIUM!,
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
        `--user-data-dir=${profile}`,
        '--virtual-time-budget=5000',
        ...args,
        pathToFileURL(htmlPath).href,
      ],
      { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
    );
    if (r.error) throw r.error;
    if (r.status !== 0) throw new Error(`chromium exited with ${r.status}: ${r.stderr.slice(-2000)}`);
    return r.stdout;
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}

export function screenshot(htmlPath: string, pngPath: string, size = '800,600'): void {
  run([`--screenshot=${pngPath}`, `--window-size=${size}`, '--hide-scrollbars'], htmlPath);
}

export function dumpDom(htmlPath: string): string {
  return run(['--dump-dom'], htmlPath);
}
