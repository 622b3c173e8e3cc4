// The figures in a real browser: a screenshot of a saved HTML file must show the plot, and plotly.js's own
// schema check (Plotly.validate) must accept every kind of figure we build. Needs the system Chromium
// (`apt-get install -y chromium`); skipped with a message when it is missing.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { embeddingProjection, matryoshkaCurve, similarityHeatmap, trainingCurves } from '../../../sdk/src/plots';
import { plotlySource } from '../../../sdk/src/plots/plotly-source';
import { CHROMIUM, dumpDom, screenshot } from './chromium';
import { decodePng } from './png';

const skip = CHROMIUM ? false : 'headless Chromium is not installed (apt-get install -y chromium)';

const history = Array.from({ length: 30 }, (_, i) => ({ step: i + 1, epoch: (i + 1) / 15, loss: 2 / (i + 1) + 0.1, learning_rate: 2e-5 * (1 - i / 30) }));
history.push({ step: 15, epoch: 1, eval_accuracy: 0.6 } as never, { step: 30, epoch: 2, eval_accuracy: 0.8 } as never);

describe('figures in headless Chromium', { skip }, () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sentence-tfjs-render-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('a saved trainingCurves page renders: the plot area holds the loss curve', async () => {
    const html = join(dir, 'curves.html');
    const png = join(dir, 'curves.png');
    await trainingCurves(history, { title: 'render test' }).saveHTML(html);
    screenshot(html, png);
    const img = decodePng(await readFile(png));
    assert.deepEqual([img.width, img.height], [800, 600]);
    // The plot area (inside the axes' margins). Count pixels near the loss trace's colour #1f77b4 and
    // any non-white pixels: a blank page or a failed script leaves only white.
    let traceBlue = 0;
    let nonWhite = 0;
    for (let y = 60; y < 560; y++) {
      for (let x = 80; x < 640; x++) {
        const [r, g, b] = img.pixels.subarray((y * img.width + x) * 4, (y * img.width + x) * 4 + 3);
        if (Math.abs(r - 0x1f) < 40 && Math.abs(g - 0x77) < 40 && Math.abs(b - 0xb4) < 40) traceBlue++;
        if (r < 240 || g < 240 || b < 240) nonWhite++;
      }
    }
    assert.ok(traceBlue > 300, `expected the blue loss curve in the plot area; found ${traceBlue} blue pixels`);
    assert.ok(nonWhite > 1000, `expected axes, grid and curves; found ${nonWhite} non-white pixels`);
  });

  it('Plotly.validate accepts every figure kind', async () => {
    const figures = {
      trainingCurves: trainingCurves({ a: history, b: history }, { showLearningRate: true }),
      similarityHeatmap: similarityHeatmap(['x', 'y'], [[1, 0.5], [0.5, 1]], { title: 't', zmin: 0, zmax: 1 }),
      embeddingProjection: embeddingProjection([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]], ['a', 'b', 'a', 'b'], { texts: ['1', '2', '3', '4'] }),
      matryoshkaCurve: matryoshkaCurve([32, 64, 128], { m: [0.1, 0.2, 0.3], n: [0.2, 0.3, 0.4] }),
    };
    const page = join(dir, 'validate.html');
    await writeFile(
      page,
      `<!DOCTYPE html><html><head><script>${plotlySource()}</script></head><body><pre id="out"></pre><script>
const figures = ${JSON.stringify(figures)};
const result = {};
for (const [name, f] of Object.entries(figures)) result[name] = Plotly.validate(f.data, f.layout) || [];
document.getElementById('out').textContent = encodeURIComponent(JSON.stringify(result));
</script></body></html>`,
    );
    const dom = dumpDom(page);
    const m = dom.match(/<pre id="out">([^<]*)<\/pre>/);
    assert.ok(m && m[1], `no validation output in the page: ${dom.slice(0, 300)}`);
    const result = JSON.parse(decodeURIComponent(m[1])) as Record<string, { msg: string }[]>;
    assert.deepEqual(Object.keys(result), Object.keys(figures));
    for (const [name, errors] of Object.entries(result)) assert.deepEqual(errors.map((e) => e.msg), [], `${name} is valid plotly`);
  });
});
