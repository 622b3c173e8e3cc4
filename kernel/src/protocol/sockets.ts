// ZeroMQ sockets of both ends of a Jupyter connection. The kernel binds exactly the endpoints of its
// connection file; a client (the headless runner) connects to them.
import * as zmq from 'zeromq';
import { endpoint, type Channel, type ConnectionInfo } from './connection';

/** zeromq 6 allows one pending send per socket: this queues sends so callers never collide. */
export class SerialSender {
  private tail: Promise<void> = Promise.resolve();

  constructor(private readonly socket: zmq.Writable<zmq.MessageLike[]>, private readonly onError: (e: Error) => void) {}

  send(frames: Buffer[]): Promise<void> {
    this.tail = this.tail.then(() => this.socket.send(frames)).catch((e: Error) => this.onError(e));
    return this.tail;
  }

  /** Resolves when every queued send has been handed to ZeroMQ. */
  flushed(): Promise<void> {
    return this.tail;
  }
}

/** Reads the next message, or undefined when none is waiting (used to drain a queue without blocking). */
export async function receiveNow(socket: zmq.Router | zmq.Dealer): Promise<Buffer[] | undefined> {
  socket.receiveTimeout = 0;
  try {
    return await socket.receive();
  } catch (e) {
    if ((e as { code?: string }).code === 'EAGAIN') return undefined;
    throw e;
  } finally {
    socket.receiveTimeout = -1;
  }
}

export class KernelSockets {
  readonly shell = new zmq.Router();
  readonly control = new zmq.Router();
  readonly stdin = new zmq.Router();
  readonly iopub = new zmq.Publisher();
  readonly hb = new zmq.Reply();

  async bind(info: ConnectionInfo): Promise<void> {
    const byChannel: Record<Channel, zmq.Socket> = { shell: this.shell, control: this.control, stdin: this.stdin, iopub: this.iopub, hb: this.hb };
    for (const [channel, socket] of Object.entries(byChannel) as [Channel, zmq.Socket][]) {
      const address = endpoint(info, channel);
      try {
        await socket.bind(address);
      } catch (e) {
        throw new Error(`cannot bind the ${channel} channel to ${address}: ${(e as Error).message}`);
      }
    }
  }

  close(): void {
    for (const s of [this.shell, this.control, this.stdin, this.iopub, this.hb]) {
      s.linger = 1000;
      s.close();
    }
  }
}

export class ClientSockets {
  readonly shell = new zmq.Dealer();
  readonly control = new zmq.Dealer();
  readonly iopub = new zmq.Subscriber();

  connect(info: ConnectionInfo): void {
    this.iopub.subscribe();
    this.shell.connect(endpoint(info, 'shell'));
    this.control.connect(endpoint(info, 'control'));
    this.iopub.connect(endpoint(info, 'iopub'));
  }

  close(): void {
    for (const s of [this.shell, this.control, this.iopub]) {
      s.linger = 0;
      s.close();
    }
  }
}
