// ProgressBar: the one progress display of encode, training, evaluation and mining.
//   In the Jupyter kernel: ONE display (text/html bar + text/plain) updated in place through the kernel's host.
//   In a terminal: a single line on stderr rewritten with \r.
//   Otherwise (piped output, CI, a test runner), or with showProgressBar: false: silent.
// Redraws are throttled (at most one per minIntervalMs, default 250 ms: ~4 per second); the first and the
// final state are always drawn. A failing display (closed kernel channel, closed stream) turns the bar
// silent rather than breaking the work it reports on.
import { jupyterHost, type JupyterHost } from './jupyter-host';
import { renderHtml, renderText, type ProgressState } from './format';

export interface ProgressStream {
  write(chunk: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface ProgressBarOptions {
  /** Items expected; 0 or undefined when unknown (no percentage, no time left). */
  total?: number;
  description?: string;
  /** false: never show. true or undefined: show in the kernel or a terminal. */
  showProgressBar?: boolean;
  /** Unit of the rate (it/s). Default 'it'. */
  unit?: string;
  /** Starting position (a resumed run); not counted in the rate. */
  initial?: number;
  /** Terminal output. Default process.stderr. */
  stream?: ProgressStream;
  /** Least time between two redraws. Default 250. */
  minIntervalMs?: number;
  /** Clock in milliseconds (tests pass a fake one). Default Date.now. */
  now?: () => number;
}

export type ProgressMode = 'jupyter' | 'tty' | 'silent';

let displayCounter = 0;

export class ProgressBar {
  readonly mode: ProgressMode;
  /** The kernel display this bar updates (jupyter mode). */
  readonly displayId: string;
  total: number;
  description: string;
  n: number;
  private readonly unit: string;
  private startN: number;
  private readonly host?: JupyterHost;
  private readonly stream?: ProgressStream;
  private readonly minIntervalMs: number;
  private readonly now: () => number;
  private readonly startedAt: number;
  private postfix: Record<string, number | string> = {};
  private lastDrawAt = -Infinity;
  private drawn = false;
  private dirty = false;
  private closed = false;
  private failed = false;

  constructor(options: ProgressBarOptions = {}) {
    this.total = options.total && options.total > 0 ? options.total : 0;
    this.description = options.description ?? '';
    this.unit = options.unit ?? 'it';
    this.n = this.startN = options.initial ?? 0;
    this.minIntervalMs = options.minIntervalMs ?? 250;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.displayId = `sentence-tfjs-progress-${process.pid}-${++displayCounter}`;
    const host = options.showProgressBar === false ? undefined : jupyterHost();
    const stream = options.stream ?? process.stderr;
    if (options.showProgressBar === false) this.mode = 'silent';
    else if (host) this.mode = 'jupyter';
    else if (stream.isTTY === true) this.mode = 'tty';
    else this.mode = 'silent';
    if (this.mode === 'jupyter') this.host = host;
    if (this.mode === 'tty') this.stream = stream;
    if (this.mode !== 'silent') this.draw();
  }

  /** Moves forward by n items (default 1), optionally replacing the postfix (loss, lr, ...). */
  update(n = 1, postfix?: Record<string, number | string>): void {
    if (this.closed) return;
    this.n += n;
    if (postfix) this.postfix = { ...postfix };
    this.dirty = true;
    const finished = this.total > 0 && this.n >= this.total;
    if (finished || this.now() - this.lastDrawAt >= this.minIntervalMs) this.draw();
  }

  /** One item done (a training step), with its postfix. */
  step(postfix?: Record<string, number | string>): void {
    this.update(1, postfix);
  }

  /** Jumps forward without counting towards the rate (steps already done before a resume). */
  advance(n: number): void {
    this.n += n;
    this.startN += n;
    this.dirty = true;
  }

  setPostfix(postfix: Record<string, number | string>): void {
    this.postfix = { ...postfix };
    this.dirty = true;
  }

  /** Draws the final state and ends the line (terminal) or leaves the finished bar (notebook). */
  close(): void {
    if (this.closed) return;
    // The notebook redraws even when unchanged, to show the bar as finished.
    if (this.dirty || !this.drawn || this.mode === 'jupyter') this.draw(true);
    if (this.mode === 'tty' && !this.failed) this.safely(() => this.stream!.write('\n'));
    this.closed = true;
  }

  /** The bar's current state, as rendered. */
  state(): ProgressState {
    const elapsedSeconds = Math.max(0, (this.now() - this.startedAt) / 1000);
    const done = this.n - this.startN;
    return {
      description: this.description,
      n: this.n,
      total: this.total,
      elapsedSeconds,
      rate: elapsedSeconds > 0 && done > 0 ? done / elapsedSeconds : undefined,
      unit: this.unit,
      postfix: this.postfix,
    };
  }

  private draw(final = false): void {
    if (this.mode === 'silent' || this.failed) return;
    const s = this.state();
    const text = renderText(s);
    if (this.mode === 'jupyter') {
      const bundle = { 'text/plain': text, 'text/html': renderHtml(s, final && this.total > 0 && this.n >= this.total) };
      this.safely(() => this.host!.displayBundle(bundle, { displayId: this.displayId, update: this.drawn }));
    } else {
      const width = this.stream!.columns ? this.stream!.columns - 1 : 120;
      this.safely(() => this.stream!.write(`\r${text.slice(0, width)}\x1b[K`));
    }
    this.drawn = true;
    this.dirty = false;
    this.lastDrawAt = this.now();
  }

  private safely(f: () => void): void {
    try {
      f();
    } catch {
      this.failed = true;
    }
  }
}
