// Errors as Jupyter "error" content: ename, evalue and a traceback whose cell frames name the cell and
// the TypeScript line ("Cell In[3], line 2"), with the source around the failing line, as IPython shows.
import * as path from 'node:path';
import { plainText } from './display';
import type { Diagnostic } from './tslab';

export interface ErrorContent {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** A cell the executor ran: what the stack calls it, how users call it, and its line mapping. */
export interface CellRecord {
  label: string;
  source: string;
  cellLine(compiledLine: number): number | undefined;
}

const RED = '\x1b[0;31m';
const GREEN = '\x1b[0;32m';
const RESET = '\x1b[0m';
const KERNEL_DIR = path.resolve(__dirname, '..');
const FRAME = /^(\s+at )(async )?(?:(.*?) \()?(.+?):(\d+):(\d+)\)?$/;

export function interruptedError(): ErrorContent {
  const evalue = 'the cell was interrupted; its pending work was abandoned';
  return { ename: 'KeyboardInterrupt', evalue, traceback: [`${RED}KeyboardInterrupt${RESET}: ${evalue}`] };
}

export function errorName(err: unknown): { ename: string; evalue: string } {
  if (err instanceof Error || (typeof err === 'object' && err !== null && typeof (err as Error).message === 'string' && typeof (err as Error).name === 'string')) {
    const e = err as Error;
    const ctor = e.constructor?.name;
    const ename = e.name === 'Error' && ctor && ctor !== 'Error' && ctor !== 'Object' ? ctor : e.name;
    return { ename, evalue: e.message };
  }
  return { ename: 'Uncaught', evalue: plainText(err) };
}

export function runtimeError(err: unknown, cells: ReadonlyMap<string, CellRecord>): ErrorContent {
  const { ename, evalue } = errorName(err);
  const stack = typeof (err as Error | undefined)?.stack === 'string' ? (err as Error).stack! : '';
  const frames: string[] = [];
  let lastCellFrame = -1;
  let excerpt: string[] = [];
  for (const line of stack.split('\n')) {
    const m = FRAME.exec(line);
    if (!m) continue;
    const [, at, asyncWord = '', fn, file, lineNo] = m;
    const cell = cells.get(file);
    if (cell) {
      const n = cell.cellLine(Number(lineNo) - 1);
      if (n === undefined) continue; // generated code: import helpers, the call into the cell
      const where = `${cell.label}, line ${n + 1}`;
      // Cell functions are called through the object that holds cell variables, a Proxy.
      const name = fn?.replace(/^Proxy\./, '');
      lastCellFrame = frames.push(`${at}${asyncWord}${name ? `${name} (${where})` : where}`) - 1;
      if (excerpt.length === 0) excerpt = sourceExcerpt(cell, n);
    } else if (!file.startsWith('node:') && !file.startsWith(KERNEL_DIR + path.sep) && file !== 'evalmachine.<anonymous>') {
      frames.push(line);
    }
  }
  // Frames below the outermost cell frame are the kernel's own machinery.
  if (lastCellFrame >= 0) frames.length = lastCellFrame + 1;
  return { ename, evalue, traceback: [`${RED}${ename}${RESET}: ${evalue}`, ...frames, ...(excerpt.length ? ['', ...excerpt] : [])] };
}

function sourceExcerpt(cell: CellRecord, line: number, caret?: { from: number; to: number }): string[] {
  const lines = cell.source.split('\n');
  const first = Math.max(0, line - 2);
  const last = Math.min(lines.length - 1, line + 2);
  const width = String(last + 1).length;
  const out = [`${GREEN}${cell.label}, line ${line + 1}${RESET}`];
  for (let i = first; i <= last; i++) {
    const marker = i === line ? `${GREEN}---->${RESET} ` : '      ';
    out.push(`${marker}${String(i + 1).padStart(width)} ${lines[i]}`);
    if (i === line && caret) out.push(`${' '.repeat(7 + width + caret.from)}${RED}${'^'.repeat(Math.max(1, caret.to - caret.from))}${RESET}`);
  }
  return out;
}

/** TypeScript diagnostics (syntax or type errors): nothing ran. Positions are already in cell coordinates. */
export function compileError(diagnostics: Diagnostic[], cell: CellRecord): ErrorContent {
  const syntaxOnly = diagnostics.every((d) => d.code >= 1000 && d.code < 2000);
  const ename = syntaxOnly ? 'SyntaxError' : 'TSError';
  const more = diagnostics.length > 1 ? ` (and ${diagnostics.length - 1} more)` : '';
  const evalue = `${diagnostics[0].messageText}${more}`;
  const traceback = [`${RED}${ename}${RESET}: ${evalue}`];
  for (const d of diagnostics.slice(0, 10)) {
    const where = d.fileName ? `${d.fileName}, line ${d.start.line + 1}` : `${cell.label}, line ${d.start.line + 1}, column ${d.start.character + 1}`;
    traceback.push('', `${where}: error TS${d.code}: ${d.messageText}`);
    if (!d.fileName) {
      const to = d.end.line === d.start.line ? d.end.character : cell.source.split('\n')[d.start.line].length;
      traceback.push(...sourceExcerpt(cell, d.start.line, { from: d.start.character, to }).slice(1));
    }
  }
  return { ename, evalue, traceback };
}
