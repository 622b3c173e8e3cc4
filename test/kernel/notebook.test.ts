import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readNotebook, splitLinesKeepEnds, writeNotebook } from '../../kernel/src/notebook';

test("line splitting is Python's str.splitlines(keepends=True)", () => {
  assert.deepEqual(splitLinesKeepEnds('a\nb\r\nc\rd'), ['a\n', 'b\r\n', 'c\r', 'd']);
  assert.deepEqual(splitLinesKeepEnds('x\n'), ['x\n']);
  assert.deepEqual(splitLinesKeepEnds(''), []);
  assert.deepEqual(splitLinesKeepEnds('a\u2028b\x0cc'), ['a\u2028', 'b\x0c', 'c']);
});

test('written as nbformat writes: sorted keys, one-space indent, lists of lines, ids added', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nb-'));
  try {
    const file = path.join(dir, 'a.ipynb');
    fs.writeFileSync(file, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {}, cells: [{ cell_type: 'code', source: ['x\n', 'y'], metadata: {}, outputs: [], execution_count: null }] }));
    const nb = readNotebook(file);
    assert.equal(nb.cells[0].source, 'x\ny');
    nb.cells[0].outputs = [{ output_type: 'display_data', data: { 'text/html': '<a>\n</a>', 'application/json': { k: 'v\n' } }, metadata: {} }];
    writeNotebook(file, nb);
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.endsWith('}\n'));
    const written = JSON.parse(text);
    assert.match(written.cells[0].id, /^[0-9a-f]{8}$/);
    assert.deepEqual(Object.keys(written.cells[0]), ['cell_type', 'execution_count', 'id', 'metadata', 'outputs', 'source']);
    assert.deepEqual(written.cells[0].source, ['x\n', 'y']);
    assert.deepEqual(written.cells[0].outputs[0].data, { 'application/json': { k: 'v\n' }, 'text/html': ['<a>\n', '</a>'] });
    assert.ok(text.includes('\n "cells": [\n  {\n   "cell_type": "code",'));
    fs.writeFileSync(file, '{"nbformat": 3}');
    assert.throws(() => readNotebook(file), new RegExp(`notebook ${file}: expected nbformat 4 with a "cells" list, found nbformat 3`));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
