// Output routing: stream batching that keeps order with other messages, parents that follow async work.
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { OutputRouter, checkBundle } from '../../kernel/src/output';
import { newHeader } from '../../kernel/src/protocol/wire';

function recorder(): { router: OutputRouter; sent: [string, unknown, string | undefined][] } {
  const sent: [string, unknown, string | undefined][] = [];
  const router = new OutputRouter((type, content, parent) => sent.push([type, content, 'msg_id' in parent ? parent.msg_id : undefined]));
  return { router, sent };
}

test('stream writes are joined until the loop turns, and flushed before any other message', async () => {
  const { router, sent } = recorder();
  const cell = newHeader('execute_request', 's');
  router.parent = cell;
  router.stream('stdout', 'a');
  router.stream('stdout', 'b');
  router.stream('stderr', 'c');
  router.display({ 'text/plain': 'd' });
  router.stream('stdout', 'e');
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(sent, [
    ['stream', { name: 'stdout', text: 'ab' }, cell.msg_id],
    ['stream', { name: 'stderr', text: 'c' }, cell.msg_id],
    ['display_data', { data: { 'text/plain': 'd' }, metadata: {}, transient: {} }, cell.msg_id],
    ['stream', { name: 'stdout', text: 'e' }, cell.msg_id],
  ]);
});

test('pending stream text keeps the parent it was written under', () => {
  const { router, sent } = recorder();
  const first = newHeader('execute_request', 's');
  const second = newHeader('execute_request', 's');
  router.parent = first;
  router.stream('stdout', 'from the first cell');
  router.parent = second;
  router.stream('stdout', 'from the second cell');
  router.flush();
  assert.deepEqual(sent.map((m) => m[2]), [first.msg_id, second.msg_id]);
});

test('display ids and bundle checks', () => {
  const { router, sent } = recorder();
  router.display({ 'image/png': new Uint8Array([1, 2, 3]) }, { displayId: 'p', update: true });
  assert.deepEqual(sent[0], ['update_display_data', { data: { 'image/png': 'AQID' }, metadata: {}, transient: { display_id: 'p' } }, undefined]);
  assert.throws(() => router.display({ 'text/plain': 'x' }, { update: true }), /update true needs a displayId/);
  assert.throws(() => checkBundle({ html: 'x' }), /MIME bundle key "html" is not a MIME type/);
  assert.throws(() => checkBundle({ 'application/json': { n: 1n } }), /MIME bundle entry application\/json cannot be sent as JSON/);
  assert.throws(() => checkBundle(null as never), /must be an object of MIME type → data, found null/);
});
