// Maps lines of the JavaScript that tslab emits for a cell back to the cell's TypeScript lines.
// tslab gives no source map, so before converting we put a comment naming the source line in front of
// every statement (comments survive TypeScript's emit) and read them back from the output. Markers go on
// the statement's own line, so line numbers of diagnostics do not move; their offsets are corrected.
import { ts } from './tslab';

export interface MarkedSource {
  code: string;
  /** Offset in the marked code → offset in the original cell. */
  originalOffset(markedOffset: number): number;
}

export function markStatements(source: string, tag: string): MarkedSource {
  const file = ts.createSourceFile('cell.ts', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const starts: { pos: number; text: string }[] = [];
  const visit = (node: import('./tslab').TS.Node): void => {
    if (isListedStatement(node)) {
      const pos = node.getStart(file);
      starts.push({ pos, text: `/*${tag}:${file.getLineAndCharacterOfPosition(pos).line}*/` });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  starts.sort((a, b) => a.pos - b.pos);
  let code = '';
  let last = 0;
  for (const s of starts) {
    code += source.slice(last, s.pos) + s.text;
    last = s.pos;
  }
  code += source.slice(last);
  return {
    code,
    originalOffset(marked: number): number {
      let shift = 0;
      for (const s of starts) {
        if (s.pos + shift >= marked) break;
        shift += Math.min(s.text.length, marked - (s.pos + shift));
      }
      return marked - shift;
    },
  };
}

function isListedStatement(node: import('./tslab').TS.Node): boolean {
  const p = node.parent as (import('./tslab').TS.Node & { statements?: readonly unknown[] }) | undefined;
  return !!p && Array.isArray(p.statements) && p.statements.includes(node);
}

export interface StrippedOutput {
  code: string;
  /** 0-based line of the emitted code → 0-based cell line, or undefined for generated helper code. */
  cellLine(compiledLine: number): number | undefined;
}

/** Removes the markers from the emitted code (line numbers unchanged) and keeps what they said. */
export function stripMarkers(compiled: string, tag: string): StrippedOutput {
  const markers: { line: number; cellLine: number }[] = [];
  const pattern = new RegExp(`/\\*${tag}:(\\d+)\\*/ ?`, 'g');
  const lines = compiled.split('\n').map((text, line) =>
    text.replace(pattern, (_m, n: string) => {
      markers.push({ line, cellLine: Number(n) });
      return '';
    }),
  );
  return {
    code: lines.join('\n'),
    cellLine(compiledLine: number): number | undefined {
      if (compiledLine >= lines.length) return undefined; // the kernel's wrapper around the cell
      let i = -1;
      while (i + 1 < markers.length && markers[i + 1].line <= compiledLine) i++;
      if (i < 0) return undefined;
      const first = markers.findIndex((m) => m.line === markers[i].line);
      const m = markers[first];
      if (m.line === compiledLine) return m.cellLine;
      // Inside a multi-line statement: same distance from its start, but not past the next statement.
      const next = markers.slice(i + 1).find((n) => n.cellLine > m.cellLine);
      const guess = m.cellLine + (compiledLine - m.line);
      return next ? Math.min(guess, next.cellLine - 1) : guess;
    },
  };
}
