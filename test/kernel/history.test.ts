import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { History, globToRegExp } from '../../kernel/src/history';

function filled(): History {
  const h = new History();
  ['6 * 7', "'a' + 'b'", '6 * 7', 'const x = 1;'].forEach((code, i) => h.add(i + 1, code));
  h.setOutput(1, '42');
  return h;
}

test('tail returns the last n lines, with outputs when asked', () => {
  const h = filled();
  assert.deepEqual(h.query({ hist_access_type: 'tail', n: 2 }), [[1, 3, '6 * 7'], [1, 4, 'const x = 1;']]);
  assert.deepEqual(h.query({ hist_access_type: 'tail', n: 4, output: true })[0], [1, 1, ['6 * 7', '42']]);
  assert.deepEqual(h.query({ hist_access_type: 'tail', n: 4, output: true })[1], [1, 2, ["'a' + 'b'", null]]);
});

test('range selects [start, stop) of this session only', () => {
  const h = filled();
  assert.deepEqual(h.query({ hist_access_type: 'range', session: 1, start: 2, stop: 3 }), [[1, 2, "'a' + 'b'"]]);
  assert.deepEqual(h.query({ hist_access_type: 'range', session: 0, start: 3 }).length, 2);
  assert.deepEqual(h.query({ hist_access_type: 'range', session: 7, start: 1 }), []);
});

test('search matches a glob against whole inputs, with unique and n', () => {
  const h = filled();
  assert.deepEqual(h.query({ hist_access_type: 'search', pattern: '6*7' }).map((e) => e[1]), [1, 3]);
  assert.deepEqual(h.query({ hist_access_type: 'search', pattern: '6*7', unique: true }).map((e) => e[1]), [3]);
  assert.deepEqual(h.query({ hist_access_type: 'search', pattern: '*', n: 1 }).map((e) => e[1]), [4]);
  assert.deepEqual(h.query({ hist_access_type: 'search', pattern: 'const' }), []);
});

test('glob: * ? [class] and escaped regex characters', () => {
  assert.ok(globToRegExp('a?c').test('abc'));
  assert.ok(!globToRegExp('a?c').test('ac'));
  assert.ok(globToRegExp('[xy]*.ts').test('y.ts'));
  assert.ok(!globToRegExp('[xy]*.ts').test('z.ts'));
  assert.ok(globToRegExp('[^x]').test('y'));
  assert.ok(globToRegExp('f(1+2)').test('f(1+2)'));
  assert.ok(globToRegExp('a*').test('a\nb'));
});
