import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { markStatements, stripMarkers } from '../../kernel/src/line-markers';

const source = ['const x: number = 1;', '', 'function f(a: string): void {', '  if (a) {', '    throw new Error(a);', '  }', '}', 'x'].join('\n');

test('every listed statement gets a marker naming its line, on that line', () => {
  const marked = markStatements(source, '@t');
  assert.equal(marked.code.split('\n').length, source.split('\n').length);
  assert.deepEqual(marked.code.split('\n'), [
    '/*@t:0*/const x: number = 1;',
    '',
    '/*@t:2*/function f(a: string): void {',
    '  /*@t:3*/if (a) {',
    '    /*@t:4*/throw new Error(a);',
    '  }',
    '}',
    '/*@t:7*/x',
  ]);
  // Offsets in the marked code map back to the cell as written (inside a marker: its statement start).
  assert.equal(marked.originalOffset(marked.code.indexOf('number')), source.indexOf('number'));
  assert.equal(marked.originalOffset(marked.code.indexOf('throw')), source.indexOf('throw'));
  assert.equal(marked.originalOffset(marked.code.indexOf('/*@t:4*/') + 3), source.indexOf('throw'));
  assert.equal(marked.originalOffset(0), 0);
});

test('stripping markers keeps line numbers and maps emitted lines to cell lines', () => {
  const emitted = [
    'var __helper = 1;',
    '/*@t:0*/ const x = 1;',
    'exports.x = x;',
    '/*@t:2*/ function f(a) {',
    '    /*@t:3*/ if (a) {',
    '        /*@t:4*/ throw new Error(a);',
    '    }',
    '}',
    'exports.tsLastExpr = ',
    '/*@t:7*/ x;',
    '',
  ].join('\n');
  const out = stripMarkers(emitted, '@t');
  assert.equal(out.code.split('\n')[5], '        throw new Error(a);');
  assert.equal(out.code.includes('@t'), false);
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7, 9].map((l) => out.cellLine(l)), [undefined, 0, 1, 2, 3, 4, 5, 6, 7]);
  assert.equal(out.cellLine(11), undefined); // the kernel's wrapper line after the cell
});

test('a statement printed on more lines than it had stops before the next statement', () => {
  const out = stripMarkers(['/*@t:0*/ for (;;)', '    step();', '/*@t:1*/ done();'].join('\n'), '@t');
  assert.equal(out.cellLine(1), 0);
});
