// Routes what cells produce (stdout/stderr, displays, clear_output) to IOPub under the parent header of
// the cell being executed. Output that arrives after its cell ended (a timer, an interrupted task
// finishing its step) goes to the latest cell, as ipykernel does; display updates still find their
// display by id. (Tracking each cell's async context instead would need async hooks, which slow every
// promise and leave their bookkeeping visible on promises a cell shows.)
import { TextDecoder } from 'node:util';
import type { JsonObject, MessageHeader } from './protocol/wire';
import type { DisplayOptions, MimeBundle } from './host';

export type ParentHeader = MessageHeader | Record<string, never>;
export type Publish = (msgType: string, content: JsonObject, parent: ParentHeader) => void;
export type StreamName = 'stdout' | 'stderr';

const MIME_TYPE = /^[\w\-+.]+\/[\w\-+.]+$/;

export class OutputRouter {
  /** The header of the cell being executed, or of the last one. */
  parent: ParentHeader = {};
  private pending: { parent: ParentHeader; name: StreamName; text: string } | undefined;
  private flushScheduled = false;

  constructor(private readonly publish: Publish) {}

  /** Stream text is batched until the event loop turns, or until another message must keep its order. */
  stream(name: StreamName, text: string): void {
    if (text === '') return;
    const parent = this.parent;
    if (this.pending && (this.pending.parent !== parent || this.pending.name !== name)) this.flush();
    if (this.pending) this.pending.text += text;
    else this.pending = { parent, name, text };
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.flushScheduled = false;
    const p = this.pending;
    this.pending = undefined;
    if (p) this.publish('stream', { name: p.name, text: p.text }, p.parent);
  }

  /** Any non-stream IOPub message: earlier stream text goes out first. */
  send(msgType: string, content: JsonObject, parent: ParentHeader = this.parent): void {
    this.flush();
    this.publish(msgType, content, parent);
  }

  display(bundle: MimeBundle, options: DisplayOptions = {}): void {
    if (options.update && !options.displayId) throw new Error('displayBundle: update true needs a displayId (the display to replace)');
    const content = { data: checkBundle(bundle), metadata: {}, transient: options.displayId ? { display_id: options.displayId } : {} };
    this.send(options.update ? 'update_display_data' : 'display_data', content);
  }

  clear(wait = false): void {
    this.send('clear_output', { wait });
  }
}

/** Validates a MIME bundle and makes it JSON-ready (binary data as base64, as Jupyter expects). */
export function checkBundle(bundle: MimeBundle): JsonObject {
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) {
    throw new TypeError(`a MIME bundle must be an object of MIME type → data, found ${bundle === null ? 'null' : typeof bundle}`);
  }
  const data: JsonObject = {};
  for (const [mime, value] of Object.entries(bundle)) {
    if (!MIME_TYPE.test(mime)) throw new TypeError(`MIME bundle key ${JSON.stringify(mime)} is not a MIME type (like "text/html")`);
    if (value === undefined) continue;
    data[mime] = value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value;
    try {
      JSON.stringify(data[mime]);
    } catch (e) {
      throw new TypeError(`MIME bundle entry ${mime} cannot be sent as JSON: ${(e as Error).message}`);
    }
  }
  return data;
}

type Write = typeof process.stdout.write;

/**
 * Sends process.stdout/stderr writes to the router; returns writers to the real streams for the
 * kernel's own log lines (which belong in the Jupyter server's log, not in a notebook).
 */
export function captureStdio(router: OutputRouter): { stdout: (s: string) => void; stderr: (s: string) => void } {
  const original = { stdout: process.stdout.write.bind(process.stdout), stderr: process.stderr.write.bind(process.stderr) };
  const decoder = new TextDecoder();
  for (const name of ['stdout', 'stderr'] as const) {
    const write = (chunk: string | Uint8Array, encoding?: BufferEncoding | ((err?: Error | null) => void), cb?: (err?: Error | null) => void): boolean => {
      router.stream(name, typeof chunk === 'string' ? chunk : decoder.decode(chunk));
      const done = typeof encoding === 'function' ? encoding : cb;
      if (done) process.nextTick(done);
      return true;
    };
    process[name].write = write as Write;
  }
  return { stdout: (s) => void original.stdout(s), stderr: (s) => void original.stderr(s) };
}
