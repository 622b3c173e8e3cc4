// Jupyter messages on the wire: [routing ids..., "<IDS|MSG>", signature, header, parent_header, metadata,
// content, buffers...] (messaging spec 5.3). Decoding checks the signature before parsing any JSON.
import { randomUUID } from 'node:crypto';
import type { Signer } from './signing';

export const PROTOCOL_VERSION = '5.3';
const DELIMITER = Buffer.from('<IDS|MSG>');

export interface MessageHeader {
  msg_id: string;
  session: string;
  username: string;
  date: string;
  msg_type: string;
  version: string;
}

export type JsonObject = Record<string, unknown>;

export interface Message<C extends JsonObject = JsonObject> {
  /** ZeroMQ routing ids (ROUTER sockets) or the topic (PUB); empty for DEALER/SUB peers. */
  identities: Buffer[];
  header: MessageHeader;
  /** The request's header, or {} for a message that answers nothing. */
  parent_header: MessageHeader | Record<string, never>;
  metadata: JsonObject;
  content: C;
  buffers: Buffer[];
}

export function newHeader(msgType: string, session: string, username = 'kernel'): MessageHeader {
  return { msg_id: randomUUID(), session, username, date: new Date().toISOString(), msg_type: msgType, version: PROTOCOL_VERSION };
}

export function encodeMessage(msg: Message, signer: Signer): Buffer[] {
  const json = [msg.header, msg.parent_header, msg.metadata, msg.content].map((part) => Buffer.from(JSON.stringify(part), 'utf8'));
  return [...msg.identities, DELIMITER, Buffer.from(signer.sign(json), 'utf8'), ...json, ...msg.buffers];
}

/** Why a received frame list is not a message we accept. */
export class RejectedMessage extends Error {}

export function decodeMessage(frames: Buffer[], signer: Signer): Message {
  const delim = frames.findIndex((f) => f.equals(DELIMITER));
  if (delim < 0) throw new RejectedMessage('no "<IDS|MSG>" delimiter frame');
  if (frames.length < delim + 6) throw new RejectedMessage(`expected 6 frames after the routing ids, found ${frames.length - delim}`);
  const signature = frames[delim + 1].toString('utf8');
  const json = frames.slice(delim + 2, delim + 6);
  if (!signer.verify(signature, json)) {
    throw new RejectedMessage(signature === '' ? 'missing signature' : 'invalid or replayed signature');
  }
  let parsed: unknown[];
  try {
    parsed = json.map((f) => JSON.parse(f.toString('utf8')) as unknown);
  } catch (e) {
    throw new RejectedMessage(`a JSON frame does not parse: ${(e as Error).message}`);
  }
  const [header, parent, metadata, content] = parsed;
  if (!isObject(header) || typeof header.msg_type !== 'string' || typeof header.msg_id !== 'string') {
    throw new RejectedMessage('the header has no msg_type/msg_id');
  }
  return {
    identities: frames.slice(0, delim),
    header: header as unknown as MessageHeader,
    parent_header: (isObject(parent) ? parent : {}) as unknown as MessageHeader,
    metadata: isObject(metadata) ? metadata : {},
    content: isObject(content) ? content : {},
    buffers: frames.slice(delim + 6),
  };
}

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
