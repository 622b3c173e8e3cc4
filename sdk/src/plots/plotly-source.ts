// plotly.js itself, read from the installed plotly.js-dist-min package (never a CDN: figures must work
// offline and in saved files). Read once per process, on first use.
import { readFileSync } from 'node:fs';

let source: string | undefined;

export function plotlySource(): string {
  if (source === undefined) {
    let path: string;
    try {
      path = require.resolve('plotly.js-dist-min');
    } catch (e) {
      throw new Error(`plots need the npm package plotly.js-dist-min (a dependency of sentence-tfjs): ${(e as Error).message}`);
    }
    // A literal "</script" inside would end the inline <script> element early.
    source = readFileSync(path, 'utf8').replace(/<\/script/gi, '<\\/script');
  }
  return source;
}
