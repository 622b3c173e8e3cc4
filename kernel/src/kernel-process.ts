// Starts this kernel as a child process on a fresh loopback connection and connects a client to it,
// as jupyter_client's KernelManager does, for the headless runner.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { newLocalConnection } from './protocol/connection';
import { KernelClient } from './protocol/client';
import type { JsonObject } from './protocol/wire';

const BIN = path.resolve(__dirname, '..', 'bin', 'sentence-tfjs-kernel.js');

export class KernelProcess {
  private exitInfo: string | undefined;
  private readonly exited: Promise<void>;

  private constructor(readonly client: KernelClient, readonly child: ChildProcess, private readonly runtimeDir: string) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
        resolve();
      }),
    );
  }

  static async start(cwd: string, log: (line: string) => void): Promise<KernelProcess> {
    const info = await newLocalConnection('sentence-tfjs');
    const runtimeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sentence-tfjs-kernel-'));
    const connectionFile = path.join(runtimeDir, 'kernel.json');
    fs.writeFileSync(connectionFile, JSON.stringify(info), { mode: 0o600 });
    // Own process group: Ctrl-C in the terminal reaches the runner, which decides what the kernel gets.
    const child = spawn(process.execPath, [BIN, 'kernel', '--connection-file', connectionFile], { cwd, stdio: ['ignore', 'inherit', 'inherit'], detached: true });
    const kernel = new KernelProcess(new KernelClient(info, log), child, runtimeDir);
    return kernel;
  }

  /** Why the kernel is gone, or undefined while it runs. */
  get deadReason(): string | undefined {
    return this.exitInfo;
  }

  /** Resolves when the process exits (for racing against replies). */
  whenExited(): Promise<void> {
    return this.exited;
  }

  /** kernel_info until the kernel answers on shell and IOPub (so no IOPub message is lost after). */
  async waitForReady(timeoutMs = 60_000): Promise<JsonObject> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exitInfo) throw new Error(`the kernel exited while starting (${this.exitInfo})`);
      const { msgId, reply } = this.client.request('shell', 'kernel_info_request', {});
      const idle = new Promise<void>((resolve) => this.client.onIopub(msgId, (m) => m.header.msg_type === 'status' && m.content.execution_state === 'idle' && resolve()));
      const answered = await Promise.race([Promise.all([reply, idle]).then(([r]) => r), delay(1000), this.exited]);
      if (answered) return answered.content;
    }
    throw new Error(`the kernel did not answer kernel_info within ${timeoutMs / 1000} s`);
  }

  interrupt(): void {
    this.child.kill('SIGINT');
  }

  /** shutdown_request on control, then the process must exit (killed after a grace period). */
  async shutdown(graceMs = 5000): Promise<void> {
    if (!this.exitInfo) {
      void this.client.request('control', 'shutdown_request', { restart: false });
      await Promise.race([this.exited, delay(graceMs)]);
      if (!this.exitInfo) {
        this.child.kill('SIGKILL');
        await this.exited;
      }
    }
    this.client.close();
    fs.rmSync(this.runtimeDir, { recursive: true, force: true });
  }
}

/** A timeout to race against; it does not keep the process alive by itself. */
export function delay(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms).unref());
}
