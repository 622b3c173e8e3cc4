// Runs cells: tslab converts TypeScript to JavaScript (type check, cross-cell declarations, top-level
// await, the last expression's value); we run the result in this Node context and turn every failure
// (type error, exception, unhandled rejection, interrupt) into Jupyter error content for the cell.
import * as path from 'node:path';
import * as vm from 'node:vm';
import Module, { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { createConverter, getCodeMetadata, isCompleteCode, printQuickInfo, ts, type Converter, type Diagnostic } from './tslab';
import { markStatements, stripMarkers, type MarkedSource } from './line-markers';
import { compileError, interruptedError, runtimeError, type CellRecord, type ErrorContent } from './traceback';
import { redirectTypeScriptLookups, requireWithFallback } from './module-fallback';

export type Outcome = { status: 'ok'; value: unknown; hasValue: boolean } | { status: 'error'; error: ErrorContent };

/** Rejects a running cell's abort promise when the user interrupts it. */
export class CellInterrupted extends Error {
  constructor() {
    super('interrupted');
    this.name = 'KeyboardInterrupt';
  }
}

export type IsCompleteStatus = { status: 'complete' | 'invalid' } | { status: 'incomplete'; indent: string };

const SCOPE_KEY = Symbol.for('sentence-tfjs-kernel.cell-scope');
type LocalModule = { exports: unknown; filename: string; paths: string[]; require: NodeJS.Require; _compile(code: string, file: string): void };

export class CellExecutor {
  private readonly converter: Converter;
  /** Declarations of all earlier cells, as tslab's converter carries them from cell to cell. */
  private prevDecl = '';
  private readonly locals: Record<string, unknown>;
  private readonly cells = new Map<string, CellRecord>();
  /** Marker comments carry a random tag so user code cannot collide with them. */
  private readonly tag = `@c${randomBytes(3).toString('hex')}`;
  private runs = 0;
  /** JavaScript tslab emitted for local .ts files the cells import, by path; and their loaded modules. */
  private readonly sideOutputs = new Map<string, string>();
  private readonly sideModules = new Map<string, LocalModule>();

  constructor(private readonly rootDir: string = process.cwd()) {
    redirectTypeScriptLookups(rootDir);
    this.converter = createConverter({ isJS: false, isBrowser: false });
    this.locals = createLocals();
    const cellRequire = this.wrapRequire(requireWithFallback(createRequire(path.join(rootDir, '__cell__.js'))), rootDir);
    (globalThis as Record<symbol, unknown>)[SCOPE_KEY] = { exports: this.locals, require: cellRequire };
  }

  /**
   * Runs one cell. `label` is how tracebacks name it ("Cell In[3]"); rejecting `abort` stops waiting for
   * it (the cell's own promise cannot be cancelled: `started` receives it, to know when it really ends).
   */
  async execute(source: string, opts: { label: string; abort: Promise<never>; started?: (work: Promise<void>) => void }): Promise<Outcome> {
    const { label, abort } = opts;
    abort.catch(() => undefined); // rejected before we race it is not an unhandled rejection
    const meta = getCodeMetadata(source);
    const record: CellRecord = { label, source, cellLine: () => undefined };
    if (meta.mode === 'browser') {
      return { status: 'error', error: { ename: 'UnsupportedCell', evalue: 'browser-mode cells (%browser) are not supported by this kernel', traceback: [] } };
    }
    if (meta.module) {
      const diagnostics = this.converter.addModule(meta.module, source, meta);
      return diagnostics.length ? { status: 'error', error: compileError(diagnostics, record) } : ok(undefined);
    }
    const marked = markStatements(source, this.tag);
    const converted = this.converter.convert(this.prevDecl, marked.code);
    for (const side of converted.sideOutputs ?? []) {
      this.sideModules.delete(side.path);
      this.sideOutputs.set(side.path, side.data);
    }
    if (converted.diagnostics.length > 0) {
      return { status: 'error', error: compileError(converted.diagnostics.map((d) => toCellPositions(d, marked, source)), record) };
    }
    // Declarations persist even if the cell then fails: what ran before the failure (a model, an
    // interrupted training run) stays usable from the next cell, as in IPython.
    this.prevDecl = converted.declOutput ?? '';
    if (!converted.output) return ok(undefined);
    const filename = `cell-${++this.runs}.js`;
    const stripped = stripMarkers(converted.output, this.tag);
    this.cells.set(filename, { ...record, cellLine: stripped.cellLine });
    const prefix = converted.hasToplevelAwait ? '(async function (exports, require) { ' : '(function (exports, require) { ';
    const scope = `globalThis[Symbol.for(${JSON.stringify(SCOPE_KEY.description)})]`;
    const wrapped = `${prefix}${stripped.code}\n})(${scope}.exports, ${scope}.require)`;
    try {
      // A SIGINT that came while the cell compiled is delivered now, before the cell starts (once it runs
      // synchronously, only breakOnSigint can stop it, and it misses signals from before it started).
      await new Promise((resolve) => setImmediate(resolve));
      await Promise.race([abort, undefined]);
      const returned: unknown = vm.runInThisContext(wrapped, { filename, breakOnSigint: true });
      // One more turn of the event loop lets a rejection the cell left unhandled surface as its error.
      const finished = (async () => {
        if (converted.hasToplevelAwait) await returned;
        await new Promise((resolve) => setImmediate(resolve));
      })();
      opts.started?.(finished);
      await Promise.race([finished, abort]);
    } catch (e) {
      const interrupted = e instanceof CellInterrupted || (e as NodeJS.ErrnoException)?.code === 'ERR_SCRIPT_EXECUTION_INTERRUPTED';
      return { status: 'error', error: interrupted ? interruptedError() : runtimeError(e, this.cells) };
    }
    return ok(this.takeLastValue(converted.lastExpressionVar));
  }

  /** Evaluates an expression for user_expressions: synchronous, no declarations kept. */
  evaluate(expression: string): Outcome {
    const converted = this.converter.convert(this.prevDecl, expression);
    const record: CellRecord = { label: 'user expression', source: expression, cellLine: () => undefined };
    if (converted.diagnostics.length > 0) return { status: 'error', error: compileError(converted.diagnostics, record) };
    if (converted.hasToplevelAwait) return { status: 'error', error: { ename: 'SyntaxError', evalue: 'await is not allowed in user_expressions', traceback: [] } };
    const scope = `globalThis[Symbol.for(${JSON.stringify(SCOPE_KEY.description)})]`;
    try {
      vm.runInThisContext(`(function (exports, require) { ${converted.output ?? ''}\n})(${scope}.exports, ${scope}.require)`);
    } catch (e) {
      return { status: 'error', error: runtimeError(e, this.cells) };
    }
    return ok(this.takeLastValue(converted.lastExpressionVar));
  }

  complete(code: string, cursor: number): { matches: string[]; cursorStart: number; cursorEnd: number } {
    const info = this.converter.complete(this.prevDecl, code, cursor);
    return { matches: info.candidates, cursorStart: info.start, cursorEnd: info.end };
  }

  /** Type and documentation of the symbol at (or just before) the cursor, as text. */
  inspect(code: string, cursor: number): string | undefined {
    for (const pos of cursor > 0 ? [cursor, cursor - 1] : [cursor]) {
      const info = this.converter.inspect(this.prevDecl, code, pos);
      if (info) return printQuickInfo(info);
    }
    return undefined;
  }

  isComplete(code: string): IsCompleteStatus {
    const res = isCompleteCode(code);
    if (!res.completed) return { status: 'incomplete', indent: res.indent ?? '' };
    const file = ts.createSourceFile('cell.ts', code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
    const syntaxErrors = (file as unknown as { parseDiagnostics?: unknown[] }).parseDiagnostics ?? [];
    return { status: syntaxErrors.length > 0 ? 'invalid' : 'complete' };
  }

  close(): void {
    this.converter.close();
  }

  private takeLastValue(name: string | undefined): unknown {
    if (!name || !(name in this.locals)) return undefined;
    const value = this.locals[name];
    delete this.locals[name];
    return value;
  }

  /** require for cells: `tslab` is this kernel's copy, local .ts files come from tslab's side outputs. */
  private wrapRequire(base: NodeJS.Require, dirname: string): NodeJS.Require {
    const wrapped = ((id: string) => {
      if (id === 'tslab') return require('tslab');
      const local = this.requireSideOutput(id, dirname);
      return local ? local.exports : base(id);
    }) as NodeJS.Require;
    return Object.assign(wrapped, { resolve: base.resolve, cache: base.cache, main: base.main, extensions: base.extensions });
  }

  private requireSideOutput(id: string, dirname: string): LocalModule | undefined {
    if (!id.startsWith('.') && !path.isAbsolute(id)) return undefined;
    let filename = path.resolve(dirname, id);
    if (path.extname(filename) === '') filename += '.js';
    const cached = this.sideModules.get(filename);
    if (cached) return cached;
    const code = this.sideOutputs.get(filename);
    if (code === undefined) return undefined;
    const ModuleCtor = Module as unknown as { new (id: string, parent?: unknown): LocalModule; _nodeModulePaths(dir: string): string[] };
    const mod = new ModuleCtor(filename, module);
    mod.filename = filename;
    mod.paths = ModuleCtor._nodeModulePaths(path.dirname(filename));
    mod.require = this.wrapRequire(requireWithFallback(createRequire(filename)), path.dirname(filename));
    this.sideModules.set(filename, mod);
    mod._compile(code, filename);
    return mod;
  }
}

function ok(value: unknown): Outcome {
  return { status: 'ok', value, hasValue: value !== undefined };
}

/**
 * Cell variables live on this object across cells. TypeScript emits named imports with
 * Object.defineProperty; storing plain values keeps them rewritable by later cells, as in tslab.
 */
function createLocals(): Record<string, unknown> {
  const store: Record<string, unknown> = {};
  return new Proxy(store, {
    defineProperty: (_target, prop, attrs) => {
      if (prop !== '__esModule') store[prop as string] = attrs.get ? attrs.get() : attrs.value;
      return true;
    },
  });
}

/** Diagnostics of the marked cell, moved to the positions of the cell as the user wrote it. */
function toCellPositions(d: Diagnostic, marked: MarkedSource, source: string): Diagnostic {
  if (d.fileName) return d;
  const at = (offset: number): Diagnostic['start'] => {
    const o = marked.originalOffset(offset);
    const before = source.slice(0, o).split('\n');
    return { offset: o, line: before.length - 1, character: before[before.length - 1].length };
  };
  return { ...d, start: at(d.start.offset), end: at(d.end.offset) };
}
