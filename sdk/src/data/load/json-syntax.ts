// Locates a JSON syntax error. JSON.parse's messages differ between Node versions and often omit the
// position; this small scanner (run only after JSON.parse failed) gives the offset and a plain reason.

export interface JsonSyntaxError {
  offset: number;
  message: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  };
  const fail = (message: string): never => {
    throw new Stop(i, message);
  };
  const found = () => (i >= text.length ? 'end of input' : `'${text[i]}'`);
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail(`unexpected ${found()} (a value must be a string, number, object, array, true, false or null)`);
  };
  const string = () => {
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('unescaped control character (e.g. a line break) inside a string');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('bad \\u escape in a string');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? '')) fail(`bad escape '\\${text[i] ?? ''}' in a string`);
      }
      i++;
    }
    if (i >= text.length) fail('unterminated string (missing closing quote)');
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m || m[0] === '-' || m[0] === '') fail(`unexpected ${found()}`);
    i += (m as RegExpExecArray)[0].length;
  };
  // An object or array body: items separated by commas up to the closing bracket.
  const sequence = (close: string, what: string, item: () => void) => {
    i++;
    ws();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`expected ',' or '${close}' in ${what}; found ${found()}`);
    }
  };
  const member = () => {
    ws();
    if (text[i] !== '"') fail(`expected a double-quoted property name; found ${found()}`);
    string();
    ws();
    if (text[i] !== ':') fail(`expected ':' after a property name; found ${found()}`);
    i++;
    value();
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') return sequence('}', 'an object', member);
    if (c === '[') return sequence(']', 'an array', value);
    if (c === '"') return string();
    if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) return number();
    if (c === 't') return literal('true');
    if (c === 'f') return literal('false');
    if (c === 'n') return literal('null');
    fail(`unexpected ${found()} where a value was expected`);
  };
  try {
    value();
    ws();
    if (i < text.length) fail(`unexpected ${found()} after the end of the JSON value`);
    return undefined;
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, message: e.message };
    // Nesting too deep for the recursion: no position, the caller keeps JSON.parse's message.
    if (e instanceof RangeError) return undefined;
    throw e;
  }
}
