// `sentence-tfjs-kernel run NOTEBOOK`: executes the code cells in order with this kernel and records the
// outputs exactly as nbclient (jupyter nbconvert --execute) does: the same output shapes, display_id
// updates across cells, clear_output (also with wait), execution counts and timing metadata.
import * as path from 'node:path';
import { KernelProcess, delay } from './kernel-process';
import { readNotebook, writeNotebook, type Cell, type JsonObject, type Notebook } from './notebook';
import type { Message } from './protocol/wire';

export interface RunOptions {
  /** Where to write the executed notebook (default: NOTEBOOK.nbconvert.ipynb next to it). */
  output?: string;
  /** Per-cell limit; on expiry the kernel is interrupted and the run fails. */
  timeoutSeconds?: number;
  /** Keep going after a failing cell (the run then succeeds). */
  allowErrors?: boolean;
  /** No progress lines or echoed cell output on the terminal. */
  quiet?: boolean;
}

export interface RunResult {
  notebook: Notebook;
  output: string;
  failed: boolean;
}

export async function runNotebook(file: string, options: RunOptions = {}): Promise<RunResult> {
  const nb = readNotebook(file);
  const output = options.output ?? file.replace(/(\.ipynb)?$/, '.nbconvert.ipynb');
  const say = (line: string): void => void (options.quiet || process.stderr.write(line + '\n'));
  const kernel = await KernelProcess.start(path.dirname(path.resolve(file)), (line) => say(`[run] ${line}`));
  const onSigint = (): void => {
    void kernel.shutdown(0).finally(() => process.exit(130));
  };
  process.once('SIGINT', onSigint);
  let failed = false;
  try {
    const info = await kernel.waitForReady();
    nb.metadata.language_info = info.language_info;
    const recorder = new OutputRecorder(nb);
    const codeCells = nb.cells.map((c, i) => ({ c, i })).filter(({ c }) => c.cell_type === 'code' && c.source.trim() !== '' && !c.metadata.tags?.includes('skip-execution'));
    for (const [n, { c: cell, i }] of codeCells.entries()) {
      const started = Date.now();
      const allowed = options.allowErrors === true || cell.metadata.tags?.includes('raises-exception') === true;
      const result = await executeCell(kernel, recorder, cell, i, { stopOnError: !allowed, timeoutSeconds: options.timeoutSeconds, echo: !options.quiet });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      if (result.status === 'ok') say(`[run] cell ${n + 1}/${codeCells.length} ok (${seconds} s)`);
      else {
        say(`[run] cell ${n + 1}/${codeCells.length} (notebook cell ${i + 1}) failed after ${seconds} s: ${result.error}`);
        if (!allowed) {
          failed = true;
          break;
        }
      }
    }
  } finally {
    process.removeListener('SIGINT', onSigint);
    await kernel.shutdown();
    writeNotebook(output, nb);
  }
  say(`[run] wrote ${output}`);
  return { notebook: nb, output, failed };
}

async function executeCell(
  kernel: KernelProcess,
  recorder: OutputRecorder,
  cell: Cell,
  index: number,
  opts: { stopOnError: boolean; timeoutSeconds?: number; echo: boolean },
): Promise<{ status: 'ok' } | { status: 'error'; error: string }> {
  cell.outputs = [];
  cell.metadata.execution = {};
  recorder.startCell();
  const { msgId, reply } = kernel.client.request('shell', 'execute_request', {
    code: cell.source, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: opts.stopOnError,
  });
  let idle!: () => void;
  const idleSeen = new Promise<void>((resolve) => (idle = resolve));
  const unsubscribe = kernel.client.onIopub(msgId, (msg) => {
    if (opts.echo) echo(msg);
    if (recorder.process(msg, cell, index) === 'idle') idle();
  });
  try {
    const done = Promise.all([reply, idleSeen]).then(([r]) => r);
    const limit = opts.timeoutSeconds ? delay(opts.timeoutSeconds * 1000) : new Promise<undefined>(() => undefined);
    let replied = await Promise.race([done, limit, kernel.whenExited().then(() => undefined)]);
    let timedOut = false;
    if (!replied && !kernel.deadReason) {
      timedOut = true;
      kernel.interrupt();
      replied = await Promise.race([done, delay(10_000), kernel.whenExited().then(() => undefined)]);
    }
    if (kernel.deadReason) return { status: 'error', error: `the kernel died (${kernel.deadReason})` };
    if (!replied) return { status: 'error', error: `no reply within ${opts.timeoutSeconds} s, even after an interrupt` };
    (cell.metadata.execution as JsonObject)['shell.execute_reply'] = timestamp(replied);
    if (timedOut) return { status: 'error', error: `timed out after ${opts.timeoutSeconds} s (interrupted)` };
    const content = replied.content;
    return content.status === 'ok' ? { status: 'ok' } : { status: 'error', error: `${String(content.ename)}: ${String(content.evalue)}` };
  } finally {
    unsubscribe();
  }
}

function echo(msg: Message): void {
  const c = msg.content;
  if (msg.header.msg_type === 'stream') (c.name === 'stderr' ? process.stderr : process.stdout).write(String(c.text));
  if (msg.header.msg_type === 'error') process.stderr.write((c.traceback as string[]).join('\n') + '\n');
}

/** nbclient's NotebookClient.process_message / output / clear_output / _update_display_id. */
class OutputRecorder {
  /** display_id → cell index → indices of that cell's outputs showing it. */
  private readonly displays = new Map<string, Map<number, number[]>>();
  private clearBeforeNextOutput = false;

  constructor(private readonly nb: Notebook) {}

  startCell(): void {
    this.clearBeforeNextOutput = false;
  }

  process(msg: Message, cell: Cell, index: number): 'idle' | undefined {
    const type = msg.header.msg_type;
    const c = msg.content;
    const displayId = (c.transient as { display_id?: string } | undefined)?.display_id;
    if (displayId && (type === 'execute_result' || type === 'display_data' || type === 'update_display_data')) this.updateDisplays(displayId, c);
    if ('execution_count' in c) cell.execution_count = c.execution_count as number;
    const timing = cell.metadata.execution as JsonObject;
    if (type === 'status') {
      timing[`iopub.status.${String(c.execution_state)}`] = timestamp(msg);
      return c.execution_state === 'idle' ? 'idle' : undefined;
    }
    if (type === 'execute_input') timing['iopub.execute_input'] = timestamp(msg);
    else if (type === 'clear_output') {
      if (c.wait) this.clearBeforeNextOutput = true;
      else this.clear(cell, index);
    } else if (type === 'stream' || type === 'display_data' || type === 'execute_result' || type === 'error') {
      if (this.clearBeforeNextOutput) {
        this.clear(cell, index);
        this.clearBeforeNextOutput = false;
      }
      const outputs = (cell.outputs ??= []);
      if (displayId) {
        const byCell = this.displays.get(displayId) ?? new Map<number, number[]>();
        this.displays.set(displayId, byCell);
        byCell.set(index, [...(byCell.get(index) ?? []), outputs.length]);
      }
      outputs.push(outputOf(type, c));
    }
    return undefined;
  }

  private clear(cell: Cell, index: number): void {
    cell.outputs = [];
    for (const byCell of this.displays.values()) if (byCell.has(index)) byCell.set(index, []);
  }

  private updateDisplays(displayId: string, c: JsonObject): void {
    for (const [cellIndex, outputIndices] of this.displays.get(displayId) ?? []) {
      const outputs = this.nb.cells[cellIndex].outputs ?? [];
      for (const i of outputIndices) {
        outputs[i].data = c.data;
        outputs[i].metadata = c.metadata;
      }
    }
  }
}

/** A message's date as nbclient records it (microseconds, UTC "Z"). */
function timestamp(msg: Message): string {
  return msg.header.date.replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** nbformat.v4.output_from_msg. */
function outputOf(type: string, c: JsonObject): JsonObject {
  switch (type) {
    case 'stream':
      return { output_type: type, name: c.name, text: c.text };
    case 'error':
      return { output_type: type, ename: c.ename, evalue: c.evalue, traceback: c.traceback };
    case 'execute_result':
      return { output_type: type, data: c.data, metadata: c.metadata, execution_count: c.execution_count };
    default:
      return { output_type: type, data: c.data, metadata: c.metadata };
  }
}
