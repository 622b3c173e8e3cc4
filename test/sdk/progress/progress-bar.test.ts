import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ProgressBar, onKernelInterrupt, JUPYTER_HOST_KEY, type JupyterHost, type MimeBundle } from '../../../sdk/src/progress';
import { formatDuration, formatRate, formatValue, renderText } from '../../../sdk/src/progress/format';

/** A stand-in for the kernel's host object (the host is an interface; the kernel helper implements it). */
class RecordingHost implements JupyterHost {
  displays: { bundle: MimeBundle; displayId: string; update: boolean }[] = [];
  private listeners = new Set<() => void>();
  displayBundle(bundle: MimeBundle, o: { displayId: string; update: boolean }): void {
    this.displays.push({ bundle, ...o });
  }
  clearOutput(): void {}
  onInterrupt(cb: () => void): () => void {
    this.listeners.add(cb);
    return () => this.listeners.delete(cb);
  }
  interrupt(): void {
    this.listeners.forEach((cb) => cb());
  }
}

function installHost(host: JupyterHost): void {
  (globalThis as Record<symbol, unknown>)[JUPYTER_HOST_KEY] = host;
}

function fakeClock(): { now: () => number; tick: (ms: number) => void } {
  let t = 1_000_000;
  return { now: () => t, tick: (ms) => (t += ms) };
}

class RecordingStream {
  written: string[] = [];
  constructor(readonly isTTY: boolean, readonly columns = 200) {}
  write(s: string): boolean {
    this.written.push(s);
    return true;
  }
}

afterEach(() => {
  delete (globalThis as Record<symbol, unknown>)[JUPYTER_HOST_KEY];
});

describe('ProgressBar in the Jupyter kernel', () => {
  it('keeps ONE display, updated in place, throttled to one redraw per 250 ms', () => {
    const host = new RecordingHost();
    installHost(host);
    const clock = fakeClock();
    const bar = new ProgressBar({ total: 10, description: 'Training', now: clock.now });
    assert.equal(bar.mode, 'jupyter');
    for (let i = 0; i < 10; i++) {
      clock.tick(100);
      bar.step({ loss: 0.5 });
    }
    bar.close();
    // Drawn at creation, at 300, 600 and 900 ms (>= 250 ms apart), at 10/10 (finished), and on close.
    assert.equal(host.displays.length, 6);
    assert.deepEqual(new Set(host.displays.map((d) => d.displayId)), new Set([bar.displayId]));
    assert.deepEqual(host.displays.map((d) => d.update), [false, true, true, true, true, true]);
    const last = host.displays[host.displays.length - 1].bundle;
    assert.equal(last['text/plain'], 'Training: 100%|████████████████████| 10/10 [00:01<00:00, 10.00it/s, loss=0.5]');
    assert.match(String(last['text/html']), /<progress value="10" max="10"/);
    assert.match(String(host.displays[1].bundle['text/plain']), /Training:  30%\|██████ {14}\| 3\/10 \[00:00<00:01, 10\.00it\/s, loss=0\.5\]/);
  });

  it('two bars get two displays', () => {
    const host = new RecordingHost();
    installHost(host);
    const a = new ProgressBar({ total: 2 });
    const b = new ProgressBar({ total: 2 });
    a.close();
    b.close();
    assert.notEqual(a.displayId, b.displayId);
    assert.equal(new Set(host.displays.map((d) => d.displayId)).size, 2);
  });

  it('showProgressBar: false shows nothing even in the kernel', () => {
    const host = new RecordingHost();
    installHost(host);
    const bar = new ProgressBar({ total: 3, showProgressBar: false });
    bar.update(3);
    bar.close();
    assert.equal(bar.mode, 'silent');
    assert.equal(host.displays.length, 0);
  });

  it('a failing display turns the bar silent instead of throwing', () => {
    let calls = 0;
    installHost({ displayBundle: () => { calls++; throw new Error('channel closed'); }, clearOutput: () => {}, onInterrupt: () => () => {} });
    const bar = new ProgressBar({ total: 3, minIntervalMs: 0 });
    bar.update(1);
    bar.close();
    assert.equal(calls, 1);
  });

  it('onKernelInterrupt subscribes through the host and unsubscribes', () => {
    const host = new RecordingHost();
    installHost(host);
    let hits = 0;
    const off = onKernelInterrupt(() => hits++);
    host.interrupt();
    off();
    host.interrupt();
    assert.equal(hits, 1);
  });
});

describe('ProgressBar outside the kernel', () => {
  it('is silent on a non-TTY stream', () => {
    const stream = new RecordingStream(false);
    const bar = new ProgressBar({ total: 5, stream });
    bar.update(5, { loss: 1 });
    bar.close();
    assert.equal(bar.mode, 'silent');
    assert.deepEqual(stream.written, []);
  });

  it('rewrites a single line on a TTY and ends it on close', () => {
    const stream = new RecordingStream(true, 60);
    const clock = fakeClock();
    const bar = new ProgressBar({ total: 4, description: 'Encoding', stream, now: clock.now });
    clock.tick(2000);
    bar.update(4);
    bar.close();
    assert.equal(bar.mode, 'tty');
    assert.ok(stream.written.slice(0, -1).every((w) => w.startsWith('\r') && !w.includes('\n') && w.endsWith('\x1b[K')));
    assert.equal(stream.written[stream.written.length - 1], '\n');
    assert.equal(stream.written[1], '\rEncoding: 100%|████████████████████| 4/4 [00:02<00:00, 2.00it/s]'.slice(0, 60) + '\x1b[K');
  });

  it('onKernelInterrupt is a no-op without the kernel', () => {
    const off = onKernelInterrupt(() => assert.fail('never called'));
    off();
  });

  it('advance() moves a resumed bar without inflating its rate', () => {
    const clock = fakeClock();
    const bar = new ProgressBar({ total: 100, stream: new RecordingStream(false), now: clock.now });
    bar.advance(50);
    clock.tick(10_000);
    bar.update(10);
    assert.equal(bar.n, 60);
    assert.equal(bar.state().rate, 1);
  });
});

describe('progress text', () => {
  it('formats durations, rates and postfix values as tqdm does', () => {
    assert.equal(formatDuration(65), '01:05');
    assert.equal(formatDuration(3725), '1:02:05');
    assert.equal(formatRate(3.614, 'it'), '3.61it/s');
    assert.equal(formatRate(0.4, 'it'), '2.50s/it');
    assert.equal(formatRate(undefined, 'it'), '?it/s');
    assert.equal(formatValue(0.123456), '0.1235');
    assert.equal(formatValue(2e-5), '2.00e-5');
    assert.equal(formatValue(7), '7');
  });

  it('an unknown total shows a count, elapsed time and rate only', () => {
    const s = { description: 'Mining', n: 42, total: 0, elapsedSeconds: 21, rate: 2, unit: 'pairs', postfix: {} };
    assert.equal(renderText(s), 'Mining: 42pairs [00:21, 2.00pairs/s]');
  });
});
