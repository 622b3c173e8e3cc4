import assert from 'node:assert/strict';
import { after, afterEach, before, describe, it } from 'node:test';
import { ready } from '../../../sdk/src/backend';
import { JUPYTER_HOST_KEY, registerEncodeProgress, type MimeBundle } from '../../../sdk/src/progress';
import type { SentenceTransformer } from '../../../sdk/src/sentence-transformer';
import { SENTENCES, tinyModel } from '../evaluation/tiny-model';

describe('encode shows its progress in the kernel', () => {
  let model: SentenceTransformer;
  let displays: { bundle: MimeBundle; displayId: string; update: boolean }[];
  before(async () => {
    await ready();
    registerEncodeProgress();
    model = tinyModel();
  });
  after(() => model.dispose());
  afterEach(() => {
    delete (globalThis as Record<symbol, unknown>)[JUPYTER_HOST_KEY];
  });

  function installHost(): void {
    displays = [];
    (globalThis as Record<symbol, unknown>)[JUPYTER_HOST_KEY] = {
      displayBundle: (bundle: MimeBundle, o: { displayId: string; update: boolean }) => displays.push({ bundle, ...o }),
      clearOutput: () => {},
      onInterrupt: () => () => {},
    };
  }

  it('several batches: one display, first shown then updated, ending at 10/10', async () => {
    installHost();
    await model.encode(SENTENCES, { batchSize: 2 });
    assert.ok(displays.length >= 2);
    assert.equal(new Set(displays.map((d) => d.displayId)).size, 1);
    assert.equal(displays[0].update, false);
    assert.ok(displays.slice(1).every((d) => d.update));
    assert.match(String(displays[displays.length - 1].bundle['text/plain']), /^Encoding: 100%\|█+\| 10\/10 \[/);
  });

  it('silent with showProgressBar: false, and for a single batch by default', async () => {
    installHost();
    await model.encode(SENTENCES, { batchSize: 2, showProgressBar: false });
    await model.encode(SENTENCES.slice(0, 2));
    assert.equal(displays.length, 0);
  });
});
