// The connection file Jupyter writes for a kernel: where to bind and with which key to sign.
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { randomBytes } from 'node:crypto';

export const CHANNELS = ['shell', 'iopub', 'stdin', 'control', 'hb'] as const;
export type Channel = (typeof CHANNELS)[number];

export interface ConnectionInfo {
  transport: 'tcp' | 'ipc';
  ip: string;
  shell_port: number;
  iopub_port: number;
  stdin_port: number;
  control_port: number;
  hb_port: number;
  key: string;
  signature_scheme: string;
  kernel_name?: string;
}

export function readConnectionFile(file: string): ConnectionInfo {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`connection file ${file}: cannot read it as JSON (${(e as Error).message})`);
  }
  return validateConnectionInfo(raw, file);
}

export function validateConnectionInfo(raw: unknown, source: string): ConnectionInfo {
  if (typeof raw !== 'object' || raw === null) throw new Error(`connection file ${source}: expected a JSON object`);
  const o = raw as Record<string, unknown>;
  const transport = o.transport ?? 'tcp';
  if (transport !== 'tcp' && transport !== 'ipc') throw new Error(`connection file ${source}: transport must be "tcp" or "ipc", found ${JSON.stringify(transport)}`);
  if (typeof o.ip !== 'string' || o.ip === '') throw new Error(`connection file ${source}: "ip" must be a non-empty string, found ${JSON.stringify(o.ip)}`);
  const ports: Record<string, number> = {};
  for (const ch of CHANNELS) {
    const p = o[`${ch}_port`];
    if (typeof p !== 'number' || !Number.isInteger(p) || p <= 0 || p > 65535) {
      throw new Error(`connection file ${source}: "${ch}_port" must be a port number 1-65535, found ${JSON.stringify(p)}`);
    }
    ports[`${ch}_port`] = p;
  }
  const key = o.key ?? '';
  if (typeof key !== 'string') throw new Error(`connection file ${source}: "key" must be a string`);
  const scheme = o.signature_scheme ?? 'hmac-sha256';
  if (typeof scheme !== 'string') throw new Error(`connection file ${source}: "signature_scheme" must be a string`);
  return {
    transport,
    ip: o.ip,
    shell_port: ports.shell_port,
    iopub_port: ports.iopub_port,
    stdin_port: ports.stdin_port,
    control_port: ports.control_port,
    hb_port: ports.hb_port,
    key,
    signature_scheme: scheme,
    kernel_name: typeof o.kernel_name === 'string' ? o.kernel_name : undefined,
  };
}

/** The ZeroMQ endpoint of one channel, as jupyter_client builds it (ipc uses "<ip>-<port>" as a path). */
export function endpoint(info: ConnectionInfo, channel: Channel): string {
  const port = info[`${channel}_port`];
  return info.transport === 'ipc' ? `ipc://${info.ip}-${port}` : `tcp://${info.ip.includes(':') ? `[${info.ip}]` : info.ip}:${port}`;
}

/** A fresh loopback connection (five free TCP ports, random key), for starting a kernel ourselves. */
export async function newLocalConnection(kernelName: string): Promise<ConnectionInfo> {
  const ports: number[] = [];
  while (ports.length < CHANNELS.length) {
    const port = await freePort();
    if (!ports.includes(port)) ports.push(port);
  }
  const [shell_port, iopub_port, stdin_port, control_port, hb_port] = ports;
  return {
    transport: 'tcp', ip: '127.0.0.1', shell_port, iopub_port, stdin_port, control_port, hb_port,
    key: randomBytes(32).toString('hex'), signature_scheme: 'hmac-sha256', kernel_name: kernelName,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const addr = server.address();
      server.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port assigned'))));
    });
  });
}
