// The client end of the protocol, enough to drive a kernel headless: send shell/control requests, await
// their replies, and receive the IOPub messages that belong to each request.
import { randomUUID } from 'node:crypto';
import { ClientSockets, SerialSender } from './sockets';
import { Signer } from './signing';
import { decodeMessage, encodeMessage, newHeader, RejectedMessage, type JsonObject, type Message } from './wire';
import type { ConnectionInfo } from './connection';

type Channel = 'shell' | 'control';

export class KernelClient {
  private readonly sockets = new ClientSockets();
  private readonly signer: Signer;
  private readonly session = randomUUID();
  private readonly senders: Record<Channel, SerialSender>;
  private readonly pendingReplies = new Map<string, (msg: Message) => void>();
  private readonly iopubListeners = new Map<string, (msg: Message) => void>();
  private closed = false;

  constructor(info: ConnectionInfo, private readonly log: (line: string) => void = () => undefined) {
    this.signer = new Signer(info.key, info.signature_scheme);
    this.sockets.connect(info);
    const onError = (e: Error): void => this.log(`send failed: ${e.message}`);
    this.senders = { shell: new SerialSender(this.sockets.shell, onError), control: new SerialSender(this.sockets.control, onError) };
    void this.receive(this.sockets.shell, (msg) => this.deliverReply(msg));
    void this.receive(this.sockets.control, (msg) => this.deliverReply(msg));
    void this.receive(this.sockets.iopub, (msg) => this.iopubListeners.get(msg.parent_header.msg_id ?? '')?.(msg));
  }

  /** Sends a request; `reply` resolves with the kernel's answer. */
  request(channel: Channel, msgType: string, content: JsonObject): { msgId: string; reply: Promise<Message> } {
    const header = newHeader(msgType, this.session, 'sentence-tfjs-run');
    const reply = new Promise<Message>((resolve) => this.pendingReplies.set(header.msg_id, resolve));
    const msg: Message = { identities: [], header, parent_header: {}, metadata: {}, content, buffers: [] };
    void this.senders[channel].send(encodeMessage(msg, this.signer));
    return { msgId: header.msg_id, reply };
  }

  /** Receives the IOPub messages whose parent is `msgId` until the returned function is called. */
  onIopub(msgId: string, listener: (msg: Message) => void): () => void {
    this.iopubListeners.set(msgId, listener);
    return () => this.iopubListeners.delete(msgId);
  }

  close(): void {
    this.closed = true;
    this.sockets.close();
  }

  private deliverReply(msg: Message): void {
    const id = msg.parent_header.msg_id ?? '';
    const resolve = this.pendingReplies.get(id);
    this.pendingReplies.delete(id);
    resolve?.(msg);
  }

  private async receive(socket: AsyncIterable<Buffer[]>, deliver: (msg: Message) => void): Promise<void> {
    try {
      for await (const frames of socket) {
        try {
          deliver(decodeMessage(frames, this.signer));
        } catch (e) {
          if (!(e instanceof RejectedMessage)) throw e;
          this.log(`dropped a message from the kernel: ${e.message}`);
        }
      }
    } catch (e) {
      if (!this.closed) this.log(`receive failed: ${(e as Error).message}`);
    }
  }
}
