// MIME bundles of values: own bundles, danfo DataFrame/Series (real danfo), tf tensors (real tfjs), the rest.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import * as dfd from 'danfojs-node';
import { ready } from '../../sdk/src/backend';
import { mimeBundleOf, richValue } from '../../kernel/src/display';

test('own bundles: the symbol method wins, toMimeBundle works, text/plain is added when missing', () => {
  const both = { [Symbol.for('jupyter.mimebundle')]: () => ({ 'text/html': '<b>a</b>' }), toMimeBundle: () => ({ 'text/plain': 'no' }) };
  const bundle = mimeBundleOf(both);
  assert.equal(bundle['text/html'], '<b>a</b>');
  assert.match(String(bundle['text/plain']), /^\{/);
  assert.deepEqual(mimeBundleOf({ toMimeBundle: () => ({ 'text/plain': 'mine', 'application/json': { a: 1 } }) }), { 'text/plain': 'mine', 'application/json': { a: 1 } });
  assert.deepEqual(mimeBundleOf(richValue({ 'text/markdown': '*x*' }, 'x')), { 'text/plain': 'x', 'text/markdown': '*x*' });
  assert.throws(() => mimeBundleOf({ toMimeBundle: () => 'html' }), /returned 'html', expected an object of MIME type → data/);
});

test('plain values: util.inspect, strings quoted like the Node REPL', () => {
  assert.deepEqual(mimeBundleOf('ab'), { 'text/plain': "'ab'" });
  assert.deepEqual(mimeBundleOf(42), { 'text/plain': '42' });
  assert.deepEqual(mimeBundleOf({ a: [1, 2] }), { 'text/plain': '{ a: [ 1, 2 ] }' });
  assert.deepEqual(mimeBundleOf(null), { 'text/plain': 'null' });
});

test('tensors: dtype, shape and tfjs preview; disposed ones say so', async () => {
  await ready();
  const t = tf.tensor2d([[1, 2], [3, 4]]);
  assert.deepEqual(mimeBundleOf(t), { 'text/plain': 'Tensor float32 [2, 2]\n[[1, 2],\n [3, 4]]' });
  const big = tf.range(0, 1000, 1, 'int32');
  assert.equal(mimeBundleOf(big)['text/plain'], 'Tensor int32 [1000]\n[0, 1, 2, ..., 997, 998, 999]');
  t.dispose();
  big.dispose();
  assert.deepEqual(mimeBundleOf(t), { 'text/plain': 'Tensor float32 [2, 2] (disposed)' });
});

test('DataFrame: HTML table and aligned text, escaped; large frames keep head/tail rows and columns', () => {
  const df = new dfd.DataFrame({ word: ['cat', '<dog>'], score: [0.5, 1.123456789] });
  const bundle = mimeBundleOf(df);
  assert.equal(bundle['text/plain'], '    word    score\n0    cat      0.5\n1  <dog>  1.12346');
  assert.equal(
    bundle['text/html'],
    '<div><table class="dataframe" border="1"><thead><tr style="text-align: right;"><th></th><th>word</th><th>score</th></tr></thead>' +
      '<tbody><tr><th>0</th><td>cat</td><td>0.5</td></tr><tr><th>1</th><td>&lt;dog&gt;</td><td>1.12346</td></tr></tbody></table><p>2 rows × 2 columns</p></div>',
  );
  const columns: Record<string, number[]> = {};
  for (let c = 0; c < 25; c++) columns[`c${c}`] = Array.from({ length: 30 }, (_, r) => r * 100 + c);
  const big = mimeBundleOf(new dfd.DataFrame(columns));
  const html = String(big['text/html']);
  assert.equal((html.match(/<tr>/g) ?? []).length, 21);
  assert.ok(html.includes('<th>c9</th><th>…</th><th>c15</th>'));
  assert.ok(html.includes('<tr><th>9</th><td>900</td>'));
  assert.ok(html.includes('<tr><th>…</th><td>…</td>'));
  assert.ok(html.includes('<tr><th>20</th><td>2000</td>'));
  assert.ok(html.endsWith('<p>30 rows × 25 columns</p></div>'));
  const text = String(big['text/plain']).split('\n');
  assert.equal(text.length, 1 + 21 + 2);
  assert.equal(text[11].replace(/ +/g, ' '), '... ... ... ... ... ... ... ... ... ... ... ... ... ... ... ... ... ... ... ... ... ...');
  assert.equal(text[text.length - 1], '[30 rows x 25 columns]');
});

test('Series: one column named after it', () => {
  const s = new dfd.Series([1, 22], { columns: ['n'] });
  assert.deepEqual(mimeBundleOf(s)['text/plain'], '    n\n0   1\n1  22');
  assert.match(String(mimeBundleOf(s)['text/html']), /<p>2 rows<\/p><\/div>$/);
});
