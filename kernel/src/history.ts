// Input history for history_request: tail, range and search (glob pattern, unique, n), IPython-style.
// One session per kernel process: session number 1 (0 and negative numbers mean "this session").

export interface HistoryRequest {
  hist_access_type?: 'tail' | 'range' | 'search';
  output?: boolean;
  session?: number;
  start?: number;
  stop?: number;
  n?: number | null;
  pattern?: string;
  unique?: boolean;
}

/** [session, line, input] or, with output requested, [session, line, [input, output text or null]]. */
export type HistoryEntry = [number, number, string | [string, string | null]];

export const SESSION = 1;

interface Line {
  line: number;
  input: string;
  output: string | null;
}

export class History {
  private readonly lines: Line[] = [];

  add(line: number, input: string): void {
    this.lines.push({ line, input, output: null });
  }

  /** Records the text/plain form of the line's result. */
  setOutput(line: number, output: string): void {
    const entry = this.lines.find((l) => l.line === line);
    if (entry) entry.output = output;
  }

  query(req: HistoryRequest): HistoryEntry[] {
    let lines: Line[];
    switch (req.hist_access_type) {
      case 'range': {
        const session = req.session ?? 0;
        if (session > 0 && session !== SESSION) return [];
        const start = req.start ?? 0;
        const stop = req.stop ?? Infinity;
        lines = this.lines.filter((l) => l.line >= start && l.line < stop);
        break;
      }
      case 'search': {
        const re = globToRegExp(req.pattern ?? '*');
        lines = this.lines.filter((l) => re.test(l.input));
        if (req.unique) lines = lines.filter((l, i) => !lines.slice(i + 1).some((later) => later.input === l.input));
        if (req.n) lines = lines.slice(-req.n);
        break;
      }
      default:
        lines = req.n ? this.lines.slice(-req.n) : [...this.lines];
    }
    return lines.map((l) => [SESSION, l.line, req.output ? [l.input, l.output] : l.input]);
  }
}

/** Glob as IPython's history search uses it (SQLite GLOB): * any run, ? one character, [...] a class. */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') re += '[\\s\\S]*';
    else if (c === '?') re += '[\\s\\S]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) re += '\\[';
      else {
        const body = glob.slice(i + 1, end);
        re += `[${body.startsWith('^') ? '^' + body.slice(1).replace(/\\/g, '\\\\') : body.replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else re += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}
