// The user API outside the kernel (plain Node): display() prints the text/plain form, the rest is inert.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { clearOutput, display, html, jupyterHost, newDisplay } from '../../kernel/src/index';

test('without a kernel, display prints text/plain and clearOutput does nothing', (t) => {
  assert.equal(jupyterHost(), undefined);
  const printed: unknown[] = [];
  t.mock.method(console, 'log', (line: unknown) => printed.push(line));
  display({ a: 1 });
  display(html('<b>x</b>'));
  newDisplay().update(7);
  clearOutput();
  assert.deepEqual(printed, ['{ a: 1 }', '<b>x</b>', '7']);
});
