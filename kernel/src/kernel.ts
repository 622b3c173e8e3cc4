// The kernel: Jupyter messaging protocol 5.3 over the connection file's sockets, cells run by the
// tslab-based executor. Shell requests are handled one at a time; control (interrupt, shutdown) is
// served meanwhile. User code never takes the kernel down: its errors become the cell's error.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import { Signer } from './protocol/signing';
import { decodeMessage, encodeMessage, newHeader, PROTOCOL_VERSION, RejectedMessage, type JsonObject, type Message } from './protocol/wire';
import { KernelSockets, SerialSender, receiveNow } from './protocol/sockets';
import type { ConnectionInfo } from './protocol/connection';
import { OutputRouter, captureStdio, checkBundle, type ParentHeader } from './output';
import { CellExecutor, CellInterrupted, type Outcome } from './executor';
import { History, type HistoryRequest } from './history';
import { installJupyterHost, type JupyterHost, type MimeBundle } from './host';
import { mimeBundleOf } from './display';
import { errorName } from './traceback';
import { ts } from './tslab';

export const KERNEL_PACKAGE_DIR = path.resolve(__dirname, '..');
/** How long the next cell waits for an interrupted task that promised to stop (onInterrupt) to end. */
const SETTLE_LIMIT_MS = 60_000;

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(path.join(KERNEL_PACKAGE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
}

type ShellChannel = 'shell' | 'control';
type Handler = (msg: Message, channel: ShellChannel) => Promise<void> | void;

interface RunningCell {
  abort: (reason: unknown) => void;
  work?: Promise<void>;
}

export class Kernel {
  private readonly session = randomUUID();
  private readonly signer: Signer;
  private readonly sockets = new KernelSockets();
  private readonly senders: Record<ShellChannel | 'iopub', SerialSender>;
  private readonly output: OutputRouter;
  private readonly history = new History();
  private readonly interruptListeners = new Set<() => void>();
  private executor!: CellExecutor;
  private executionCount = 0;
  private running: RunningCell | undefined;
  /** An interrupted task finishing its current step; `release` stops waiting for it. */
  private settling: { done: Promise<void>; release: () => void } | undefined;
  private exiting = false;
  private readonly reportedStrayErrors = new WeakSet<object>();
  /** The kernel's own log: the real stderr (the Jupyter server's log), never a notebook. */
  private log: (line: string) => void = (line) => process.stderr.write(`[sentence-tfjs-kernel] ${line}\n`);

  constructor(private readonly connection: ConnectionInfo, private readonly cwd: string = process.cwd()) {
    this.signer = new Signer(connection.key, connection.signature_scheme);
    const onSendError = (e: Error): void => this.log(`send failed: ${e.message}`);
    this.senders = {
      shell: new SerialSender(this.sockets.shell, onSendError),
      control: new SerialSender(this.sockets.control, onSendError),
      iopub: new SerialSender(this.sockets.iopub, onSendError),
    };
    this.output = new OutputRouter((msgType, content, parent) => this.publish(msgType, content, parent));
  }

  async start(): Promise<void> {
    await this.sockets.bind(this.connection);
    const stdio = captureStdio(this.output);
    this.log = (line) => stdio.stderr(`[sentence-tfjs-kernel] ${line}\n`);
    if (!this.signer.enabled) this.log('the connection file has an empty key: messages are not signed');
    installJupyterHost(this.host());
    this.routeTslabDisplay();
    process.on('SIGINT', () => this.interrupt());
    // A capture callback, unlike 'uncaughtException' listeners, cannot be overridden by libraries: the
    // wasm backend's Emscripten runtime adds listeners that rethrow every unhandled rejection, which
    // would otherwise kill the kernel; their rethrow lands here.
    process.setUncaughtExceptionCaptureCallback((err) => this.strayError(err, 'uncaught exception'));
    process.on('unhandledRejection', (reason) => this.strayError(reason, 'unhandled promise rejection'));
    this.exitWithParent();
    this.publish('status', { execution_state: 'starting' }, {});
    this.executor = new CellExecutor(this.cwd);
    void this.serve('shell');
    void this.serve('control');
    void this.serveHeartbeat();
    void this.drainStdin();
  }

  private readonly handlers: Record<string, Handler> = {
    kernel_info_request: (msg, ch) => this.reply(ch, msg, 'kernel_info_reply', this.kernelInfo()),
    execute_request: (msg, ch) => this.executeRequest(msg, ch),
    complete_request: (msg, ch) => {
      const { code, cursor_pos } = codeAndCursor(msg);
      const c = this.executor.complete(code, cursor_pos);
      const toCodePoints = (i: number): number => [...code.slice(0, i)].length;
      return this.reply(ch, msg, 'complete_reply', { status: 'ok', matches: c.matches, cursor_start: toCodePoints(c.cursorStart), cursor_end: toCodePoints(c.cursorEnd), metadata: {} });
    },
    inspect_request: (msg, ch) => {
      const { code, cursor_pos } = codeAndCursor(msg);
      const text = this.executor.inspect(code, cursor_pos);
      return this.reply(ch, msg, 'inspect_reply', { status: 'ok', found: text !== undefined, data: text === undefined ? {} : { 'text/plain': text }, metadata: {} });
    },
    is_complete_request: (msg, ch) => this.reply(ch, msg, 'is_complete_reply', this.executor.isComplete(String(msg.content.code ?? ''))),
    history_request: (msg, ch) => this.reply(ch, msg, 'history_reply', { status: 'ok', history: this.history.query(msg.content as HistoryRequest) }),
    comm_info_request: (msg, ch) => this.reply(ch, msg, 'comm_info_reply', { status: 'ok', comms: {} }),
    // No comm targets are registered: the spec says to close a comm we cannot open.
    comm_open: (msg) => this.output.send('comm_close', { comm_id: msg.content.comm_id, data: {} }, msg.header),
    comm_msg: () => undefined,
    comm_close: () => undefined,
    interrupt_request: (msg, ch) => {
      this.interrupt();
      return this.reply(ch, msg, 'interrupt_reply', { status: 'ok' });
    },
    shutdown_request: async (msg, ch) => {
      await this.reply(ch, msg, 'shutdown_reply', { status: 'ok', restart: msg.content.restart === true });
      this.exiting = true;
    },
  };

  private kernelInfo(): JsonObject {
    return {
      status: 'ok',
      protocol_version: PROTOCOL_VERSION,
      implementation: 'sentence-tfjs-kernel',
      implementation_version: packageVersion(),
      language_info: {
        name: 'typescript',
        version: ts.version,
        mimetype: 'text/typescript',
        file_extension: '.ts',
        pygments_lexer: 'typescript',
        codemirror_mode: { name: 'javascript', typescript: true },
        nbconvert_exporter: 'script',
      },
      banner: `sentence-tfjs kernel ${packageVersion()}: TypeScript ${ts.version} on Node.js ${process.version} (tslab)`,
      debugger: false,
      help_links: [],
    };
  }

  // --- execution ---------------------------------------------------------------------------------

  private async executeRequest(msg: Message, channel: ShellChannel): Promise<void> {
    const c = msg.content;
    const code = typeof c.code === 'string' ? c.code : '';
    const silent = c.silent === true;
    const storeHistory = !silent && c.store_history !== false;
    if (this.settling) await this.settling.done;
    if (storeHistory) this.executionCount += 1;
    const count = this.executionCount;
    if (!silent) this.output.send('execute_input', { code, execution_count: count }, msg.header);
    if (storeHistory) this.history.add(count, code);

    let outcome = await this.runCell(code, `Cell In[${count}]`, msg.header);
    if (outcome.status === 'ok' && outcome.hasValue && !silent) outcome = this.sendResult(outcome.value, count, msg.header);
    const user_expressions = this.userExpressions(c.user_expressions);
    this.output.flush();
    if (outcome.status === 'ok') {
      await this.reply(channel, msg, 'execute_reply', { status: 'ok', execution_count: count, payload: [], user_expressions });
      return;
    }
    if (!silent) this.output.send('error', { ...outcome.error }, msg.header);
    // Requests that were queued before the failure is known are taken first, so that nothing sent after
    // the client saw this reply gets aborted.
    const queued = c.stop_on_error !== false ? await this.takeQueuedShellMessages() : [];
    await this.reply(channel, msg, 'execute_reply', { status: 'error', execution_count: count, ...outcome.error, user_expressions });
    await this.abortExecutions(queued);
  }

  private async runCell(code: string, label: string, parent: Message['header']): Promise<Outcome> {
    let abort!: (reason: unknown) => void;
    const aborted = new Promise<never>((_, reject) => (abort = reject));
    aborted.catch(() => undefined);
    const cell: RunningCell = { abort };
    this.running = cell;
    try {
      this.output.parent = parent;
      return await this.executor.execute(code, { label, abort: aborted, started: (work) => (cell.work = work) });
    } finally {
      this.running = undefined;
    }
  }

  private sendResult(value: unknown, count: number, parent: Message['header']): Outcome {
    try {
      const data = checkBundle(mimeBundleOf(value));
      this.output.send('execute_result', { execution_count: count, data, metadata: {} }, parent);
      if (typeof data['text/plain'] === 'string') this.history.setOutput(count, data['text/plain']);
      return { status: 'ok', value, hasValue: true };
    } catch (e) {
      const { ename, evalue } = errorName(e);
      return { status: 'error', error: { ename, evalue: `cannot display the cell's value: ${evalue}`, traceback: [`${ename}: cannot display the cell's value: ${evalue}`] } };
    }
  }

  private userExpressions(expressions: unknown): JsonObject {
    const out: JsonObject = {};
    if (typeof expressions !== 'object' || expressions === null) return out;
    for (const [name, expr] of Object.entries(expressions)) {
      const r = this.executor.evaluate(String(expr));
      try {
        out[name] = r.status === 'ok' ? { status: 'ok', data: checkBundle(mimeBundleOf(r.value)), metadata: {} } : { status: 'error', ...r.error };
      } catch (e) {
        out[name] = { status: 'error', ...errorName(e), traceback: [] };
      }
    }
    return out;
  }

  private async takeQueuedShellMessages(): Promise<Message[]> {
    const queued: Message[] = [];
    for (let frames = await receiveNow(this.sockets.shell); frames; frames = await receiveNow(this.sockets.shell)) {
      const msg = this.decode(frames, 'shell');
      if (msg) queued.push(msg);
    }
    return queued;
  }

  /** After a failed cell, executions queued behind it are not run (ipykernel's stop_on_error). */
  private async abortExecutions(queued: Message[]): Promise<void> {
    for (const msg of queued) {
      if (msg.header.msg_type !== 'execute_request') {
        await this.dispatch(msg, 'shell');
        continue;
      }
      this.publish('status', { execution_state: 'busy' }, msg.header);
      await this.reply('shell', msg, 'execute_reply', { status: 'aborted', execution_count: this.executionCount });
      this.publish('status', { execution_state: 'idle' }, msg.header);
    }
  }

  // --- interrupts and stray errors ---------------------------------------------------------------

  interrupt(): void {
    const listeners = [...this.interruptListeners];
    for (const cb of listeners) {
      try {
        cb();
      } catch (e) {
        this.output.stream('stderr', `an interrupt listener failed: ${inspect(e)}\n`);
      }
    }
    if (this.settling) this.settling.release(); // a second interrupt stops waiting
    const cell = this.running;
    if (!cell) return;
    if (listeners.length > 0 && cell.work) {
      const settling = settleWithin(cell.work, SETTLE_LIMIT_MS, () => {
        if (this.settling === settling) this.settling = undefined;
      });
      this.settling = settling;
    }
    cell.abort(new CellInterrupted());
  }

  /** An error no cell code caught: it fails the running cell, or is printed for the last one. */
  private strayError(err: unknown, kind: string): void {
    if (typeof err === 'object' && err !== null) {
      if (this.reportedStrayErrors.has(err)) return; // the same rejection rethrown by a library listener
      this.reportedStrayErrors.add(err);
    }
    if (this.running) {
      this.running.abort(err);
      return;
    }
    this.output.stream('stderr', `${kind} after the cell finished: ${err instanceof Error ? err.stack : inspect(err)}\n`);
  }

  private host(): JupyterHost {
    return {
      displayBundle: (bundle, options) => this.output.display(bundle, options),
      clearOutput: (wait) => this.output.clear(wait),
      onInterrupt: (cb) => {
        const entry = (): void => cb();
        this.interruptListeners.add(entry);
        return () => void this.interruptListeners.delete(entry);
      },
    };
  }

  /** tslab notebooks call tslab's display API; it writes through this hook. */
  private routeTslabDisplay(): void {
    const tslabJupyter = createRequire(require.resolve('tslab'))('./jupyter') as { lastWriteDisplayData: unknown };
    tslabJupyter.lastWriteDisplayData = (d: { data: MimeBundle; transient?: { display_id?: string } }, update: boolean) =>
      this.output.display(d.data, { displayId: d.transient?.display_id, update });
  }

  // --- sockets -----------------------------------------------------------------------------------

  private async serve(channel: ShellChannel): Promise<void> {
    const socket = this.sockets[channel];
    for (;;) {
      let frames: Buffer[];
      try {
        frames = await socket.receive();
      } catch (e) {
        if (socket.closed) return;
        this.log(`${channel} receive failed: ${(e as Error).message}`);
        continue;
      }
      const msg = this.decode(frames, channel);
      if (msg) await this.dispatch(msg, channel);
      if (this.exiting) return this.exit();
    }
  }

  private decode(frames: Buffer[], channel: string): Message | undefined {
    try {
      return decodeMessage(frames, this.signer);
    } catch (e) {
      if (!(e instanceof RejectedMessage)) throw e;
      this.log(`dropped a message on ${channel}: ${e.message}`);
      return undefined;
    }
  }

  private async dispatch(msg: Message, channel: ShellChannel): Promise<void> {
    const handler = this.handlers[msg.header.msg_type];
    if (!handler) {
      this.log(`ignored unsupported message type ${msg.header.msg_type} on ${channel}`);
      return;
    }
    this.publish('status', { execution_state: 'busy' }, msg.header);
    try {
      await handler(msg, channel);
    } catch (e) {
      this.log(`handling ${msg.header.msg_type} failed: ${(e as Error).stack ?? String(e)}`);
    } finally {
      this.output.flush();
      this.publish('status', { execution_state: 'idle' }, msg.header);
    }
  }

  private reply(channel: ShellChannel, request: Message, msgType: string, content: object): Promise<void> {
    const msg: Message = { identities: request.identities, header: newHeader(msgType, this.session), parent_header: request.header, metadata: {}, content: content as JsonObject, buffers: [] };
    return this.senders[channel].send(encodeMessage(msg, this.signer));
  }

  private publish(msgType: string, content: JsonObject, parent: ParentHeader): void {
    const topic = Buffer.from(`kernel.${this.session}.${msgType}`);
    const msg: Message = { identities: [topic], header: newHeader(msgType, this.session), parent_header: parent, metadata: {}, content, buffers: [] };
    void this.senders.iopub.send(encodeMessage(msg, this.signer));
  }

  private async serveHeartbeat(): Promise<void> {
    try {
      for await (const frames of this.sockets.hb) await this.sockets.hb.send(frames);
    } catch (e) {
      if (!this.sockets.hb.closed) this.log(`heartbeat stopped: ${(e as Error).message}`);
    }
  }

  /** This kernel never asks for input; whatever arrives on stdin is read and dropped. */
  private async drainStdin(): Promise<void> {
    try {
      for await (const frames of this.sockets.stdin) void frames;
    } catch {
      // closed at exit
    }
  }

  /** Like ipykernel's parent poller: when the process that started us is gone, nobody can shut us down. */
  private exitWithParent(): void {
    const parent = process.ppid;
    setInterval(() => {
      if (process.ppid !== parent) {
        this.log(`the parent process ${parent} is gone; exiting`);
        process.exit(1);
      }
    }, 2000).unref();
  }

  private async exit(): Promise<void> {
    await Promise.all(Object.values(this.senders).map((s) => s.flushed()));
    this.executor.close();
    this.sockets.close();
    setTimeout(() => process.exit(0), 100);
  }
}

/** The request's code and cursor; Jupyter counts the cursor in code points, JavaScript in UTF-16 units. */
function codeAndCursor(msg: Message): { code: string; cursor_pos: number } {
  const code = typeof msg.content.code === 'string' ? msg.content.code : '';
  const points = [...code];
  const pos = typeof msg.content.cursor_pos === 'number' ? Math.max(0, Math.min(msg.content.cursor_pos, points.length)) : points.length;
  return { code, cursor_pos: points.slice(0, pos).join('').length };
}

function settleWithin(work: Promise<void>, ms: number, onDone: () => void): { done: Promise<void>; release: () => void } {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const timer = setTimeout(release, ms);
  const done = Promise.race([work.catch(() => undefined), released]).then(() => {
    clearTimeout(timer);
    onDone();
  });
  return { done, release };
}
