import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Signer } from '../../../kernel/src/protocol/signing';
import { decodeMessage, encodeMessage, newHeader, RejectedMessage, type Message } from '../../../kernel/src/protocol/wire';

function message(content: Record<string, unknown> = { code: '1' }): Message {
  return { identities: [Buffer.from('client-id')], header: newHeader('execute_request', 'session-1', 'me'), parent_header: {}, metadata: {}, content, buffers: [Buffer.from([1, 2])] };
}

test('the signature is the hex HMAC-SHA256 of header, parent, metadata and content only', () => {
  const msg = message();
  const frames = encodeMessage(msg, new Signer('secret'));
  assert.deepEqual(frames[0], Buffer.from('client-id'));
  assert.equal(frames[1].toString(), '<IDS|MSG>');
  const expected = createHmac('sha256', 'secret');
  for (const part of frames.slice(3, 7)) expected.update(part);
  assert.equal(frames[2].toString(), expected.digest('hex'));
  assert.deepEqual(frames[7], Buffer.from([1, 2])); // buffers travel unsigned
  const decoded = decodeMessage(frames, new Signer('secret'));
  assert.deepEqual(decoded.header, msg.header);
  assert.deepEqual(decoded.content, { code: '1' });
  assert.deepEqual(decoded.identities, [Buffer.from('client-id')]);
});

test('wrong, missing and replayed signatures are rejected', () => {
  const frames = encodeMessage(message(), new Signer('other key'));
  assert.throws(() => decodeMessage(frames, new Signer('secret')), new RejectedMessage('invalid or replayed signature'));
  const unsigned = encodeMessage(message(), new Signer(''));
  assert.equal(unsigned[2].toString(), '');
  assert.throws(() => decodeMessage(unsigned, new Signer('secret')), new RejectedMessage('missing signature'));
  const truncated = [...frames.slice(0, 2), Buffer.from(frames[2].toString().slice(0, 10)), ...frames.slice(3)];
  assert.throws(() => decodeMessage(truncated, new Signer('other key')), /invalid or replayed signature/);
  const receiver = new Signer('other key');
  decodeMessage(frames, receiver);
  assert.throws(() => decodeMessage(frames, receiver), /invalid or replayed signature/);
});

test('an empty key accepts unsigned messages', () => {
  const signer = new Signer('');
  assert.equal(signer.enabled, false);
  assert.deepEqual(decodeMessage(encodeMessage(message({ x: 1 }), signer), signer).content, { x: 1 });
});

test('malformed frames are named', () => {
  const signer = new Signer('');
  assert.throws(() => decodeMessage([Buffer.from('a')], signer), /no "<IDS\|MSG>" delimiter frame/);
  assert.throws(() => decodeMessage([Buffer.from('<IDS|MSG>'), Buffer.from('')], signer), /expected 6 frames after the routing ids, found 2/);
  const badJson = [Buffer.from('<IDS|MSG>'), Buffer.from(''), Buffer.from('{'), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}')];
  assert.throws(() => decodeMessage(badJson, signer), /a JSON frame does not parse/);
  const noType = [Buffer.from('<IDS|MSG>'), Buffer.from(''), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}'), Buffer.from('{}')];
  assert.throws(() => decodeMessage(noType, signer), /the header has no msg_type\/msg_id/);
  assert.throws(() => new Signer('k', 'hmac-md5'), /signature_scheme: expected "hmac-sha256", found "hmac-md5"/);
});
