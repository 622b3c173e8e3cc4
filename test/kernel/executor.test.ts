// The tslab-based executor in this process: values, declarations across cells, every failure as
// Jupyter error content pointing at the cell line, interrupts, is-complete, completion, inspection.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { CellExecutor, CellInterrupted, type Outcome } from '../../kernel/src/executor';

const executor = new CellExecutor();
after(() => executor.close()); // the converter watches files until closed
const never = new Promise<never>(() => undefined);
let n = 0;
const run = (code: string, abort: Promise<never> = never): Promise<Outcome> => executor.execute(code, { label: `Cell In[${++n}]`, abort });
const plain = (s: string): string => s.replace(/\x1b\[[0-9;]*m/g, '');

function errorOf(outcome: Outcome): { ename: string; evalue: string; text: string } {
  assert.equal(outcome.status, 'error');
  if (outcome.status !== 'error') throw new Error('unreachable');
  return { ename: outcome.error.ename, evalue: outcome.error.evalue, text: plain(outcome.error.traceback.join('\n')) };
}

test('the last expression is the value; declarations carry to later cells', async () => {
  assert.deepEqual(await run('const base: number = 40;\nbase + 1'), { status: 'ok', value: 41, hasValue: true });
  assert.deepEqual(await run('const more = base + 2;'), { status: 'ok', value: undefined, hasValue: false });
  assert.deepEqual(await run('await Promise.resolve(more)'), { status: 'ok', value: 42, hasValue: true });
});

test('a runtime error names the cell and line of every cell frame', async () => {
  await run('function explode(why: string): never {\n\n  throw new RangeError(why);\n}');
  const label = `Cell In[${n}]`;
  const err = errorOf(await run("const y = 1;\nexplode('bad ' + y);"));
  assert.equal(err.ename, 'RangeError');
  assert.equal(err.evalue, 'bad 1');
  const lines = err.text.split('\n');
  assert.equal(lines[0], 'RangeError: bad 1');
  assert.equal(lines[1], `    at explode (${label}, line 3)`);
  assert.equal(lines[2], `    at Cell In[${n}], line 2`);
  assert.equal(lines.length, 3 + 1 + 5); // header, 2 frames, blank, excerpt title + 4 lines
  assert.deepEqual(lines.slice(4), [`${label}, line 3`, '      1 function explode(why: string): never {', '      2 ', '----> 3   throw new RangeError(why);', '      4 }']);
});

test('compile errors give positions in the cell as written', async () => {
  const syntax = errorOf(await run('const a = 1;\n  let q = (;'));
  assert.equal(syntax.ename, 'SyntaxError');
  assert.match(syntax.text, new RegExp(`Cell In\\[${n}\\], line 2, column 12: error TS1109: Expression expected\\.`));
  assert.match(syntax.text, /----> 2   let q = \(;\n {19}\^$/); // the caret under ";"
  const types = errorOf(await run("const s: string = 1;\nconst t: number = 'x';"));
  assert.equal(types.ename, 'TSError');
  assert.equal(types.evalue, "Type 'number' is not assignable to type 'string'. (and 1 more)");
  assert.match(types.text, /line 2, column 7: error TS2322/);
});

test('the abort promise ends a cell: with an interrupt, or with the error it carries', async () => {
  let abort!: (e: unknown) => void;
  const aborting = new Promise<never>((_, reject) => (abort = reject));
  const pending = run('await new Promise(() => {});', aborting);
  abort(new CellInterrupted());
  const interrupted = errorOf(await pending);
  assert.deepEqual([interrupted.ename, interrupted.evalue], ['KeyboardInterrupt', 'the cell was interrupted; its pending work was abandoned']);
  let fail!: (e: unknown) => void;
  const failing = new Promise<never>((_, reject) => (fail = reject));
  const waiting = run('await new Promise((r) => setTimeout(r, 5000));', failing);
  fail(new TypeError('reported by the kernel'));
  assert.deepEqual(Object.values(errorOf(await waiting)).slice(0, 2), ['TypeError', 'reported by the kernel']);
  assert.deepEqual(errorOf(await run("throw 'text';")).evalue, "'text'");
});

test('is_complete: complete, incomplete with indent, invalid', () => {
  assert.deepEqual(executor.isComplete('const a = 1;'), { status: 'complete' });
  assert.deepEqual(executor.isComplete('function f() {'), { status: 'incomplete', indent: '  ' });
  assert.deepEqual(executor.isComplete('const = 1;'), { status: 'invalid' });
});

test('completion and inspection see earlier cells', async () => {
  await run('const completeMeLater = { fieldOne: 1 };');
  assert.deepEqual(executor.complete('completeMeLater.fie', 19), { matches: ['fieldOne'], cursorStart: 16, cursorEnd: 19 });
  assert.equal(executor.inspect('completeMeLater', 15), 'const completeMeLater: {\n    fieldOne: number;\n}');
  assert.equal(executor.inspect('   ', 1), undefined);
});
