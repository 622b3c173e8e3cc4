// Errors of reading a data file: they name the file and, for text formats, the line and column, so a
// malformed file is a message to fix, never a crash.

export interface FilePosition {
  line?: number;
  column?: number;
}

export class DataFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    readonly position: FilePosition = {},
  ) {
    super(`${file}${formatPosition(position)}: ${problem}`);
    this.name = 'DataFileError';
  }
}

function formatPosition({ line, column }: FilePosition): string {
  if (line === undefined) return '';
  return column === undefined ? ` line ${line}` : ` line ${line}, column ${column}`;
}

/** 1-based line and column of a character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
