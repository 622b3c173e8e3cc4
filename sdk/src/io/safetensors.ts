// The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__"?: {str: str}}, then raw
// little-endian tensor bytes. We write F32 and read F32 / F16 / BF16 / F64 / I64 / I32 (as float32 or int32).
import { readFile } from 'node:fs/promises';

export type SafetensorsDType = 'F64' | 'F32' | 'F16' | 'BF16' | 'I64' | 'I32' | 'I16' | 'I8' | 'U8' | 'BOOL';

export interface HeaderEntry {
  dtype: SafetensorsDType;
  shape: number[];
  data_offsets: [number, number];
}

export interface RawTensor {
  shape: number[];
  /** Float tensors come back as float32, integer ones as int32. */
  data: Float32Array | Int32Array;
}

const BYTES: Record<SafetensorsDType, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1 };

/** Serializes float32 tensors; names are sorted for byte-stable files. */
export function encodeSafetensors(tensors: Map<string, { shape: number[]; data: Float32Array }>, metadata: Record<string, string> = { format: 'pt' }): Buffer {
  const names = [...tensors.keys()].sort();
  const header: Record<string, HeaderEntry | Record<string, string>> = { __metadata__: metadata };
  let offset = 0;
  for (const name of names) {
    const t = tensors.get(name)!;
    const expected = t.shape.reduce((a, b) => a * b, 1);
    if (t.data.length !== expected) throw new Error(`safetensors: ${name} has ${t.data.length} values for shape [${t.shape}]`);
    header[name] = { dtype: 'F32', shape: t.shape, data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
  json += ' '.repeat((8 - ((8 + Buffer.byteLength(json)) % 8)) % 8);
  const headerBytes = Buffer.from(json, 'utf8');
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let pos = 8 + headerBytes.length;
  for (const name of names) {
    const d = tensors.get(name)!.data;
    Buffer.from(d.buffer, d.byteOffset, d.byteLength).copy(out, pos);
    pos += d.byteLength;
  }
  return out;
}

export interface DecodedSafetensors {
  tensors: Map<string, RawTensor>;
  metadata: Record<string, string>;
}

/** Parses a safetensors buffer; `source` names the file in errors. */
export function decodeSafetensors(buf: Buffer, source = 'safetensors data'): DecodedSafetensors {
  if (buf.length < 8) throw new Error(`${source}: too short to be a safetensors file (${buf.length} bytes)`);
  const n = Number(buf.readBigUInt64LE(0));
  if (n <= 0 || 8 + n > buf.length) throw new Error(`${source}: header length ${n} does not fit a file of ${buf.length} bytes`);
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(buf.subarray(8, 8 + n).toString('utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${source}: header is not valid JSON (${(e as Error).message})`);
  }
  const dataStart = 8 + n;
  const dataLength = buf.length - dataStart;
  const tensors = new Map<string, RawTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') {
      metadata = (value ?? {}) as Record<string, string>;
      continue;
    }
    const e = value as HeaderEntry;
    if (!e || !(e.dtype in BYTES) || !Array.isArray(e.shape) || !Array.isArray(e.data_offsets)) {
      throw new Error(`${source}: tensor ${name} has a malformed header entry ${JSON.stringify(value)}`);
    }
    const [begin, end] = e.data_offsets;
    const count = e.shape.reduce((a, b) => a * b, 1);
    if (begin < 0 || end > dataLength || end - begin !== count * BYTES[e.dtype]) {
      throw new Error(`${source}: tensor ${name} (${e.dtype} [${e.shape}]) has data_offsets [${begin}, ${end}] inconsistent with its shape or the file size`);
    }
    // Copy into an aligned buffer: the data section need not be aligned to the element size.
    const bytes = new Uint8Array(end - begin);
    bytes.set(buf.subarray(dataStart + begin, dataStart + end));
    tensors.set(name, { shape: e.shape, data: convert(e.dtype, bytes, count, `${source}: ${name}`) });
  }
  return { tensors, metadata };
}

function convert(dtype: SafetensorsDType, bytes: Uint8Array, count: number, what: string): Float32Array | Int32Array {
  const view = new DataView(bytes.buffer);
  switch (dtype) {
    case 'F32':
      return new Float32Array(bytes.buffer);
    case 'F64':
      return Float32Array.from(new Float64Array(bytes.buffer));
    case 'F16': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return out;
    }
    case 'BF16': {
      const out = new Float32Array(count);
      const f = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        f.setUint32(0, view.getUint16(2 * i, true) << 16);
        out[i] = f.getFloat32(0);
      }
      return out;
    }
    case 'I64': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(8 * i, true));
      return out;
    }
    case 'I32':
      return new Int32Array(bytes.buffer);
    case 'I16':
      return Int32Array.from(new Int16Array(bytes.buffer));
    case 'I8':
      return Int32Array.from(new Int8Array(bytes.buffer));
    case 'U8':
    case 'BOOL':
      return Int32Array.from(bytes);
    default:
      throw new Error(`${what}: unsupported dtype ${String(dtype)}`);
  }
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

export async function readSafetensorsFile(path: string): Promise<DecodedSafetensors> {
  let buf: Buffer;
  try {
    buf = await readFile(path);
  } catch (e) {
    throw new Error(`cannot read ${path}: ${(e as Error).message}`);
  }
  return decodeSafetensors(buf, path);
}
