// The kernelspec logos (logo-32x32.png, logo-64x64.png), drawn here so the package ships no binaries:
// a rounded TypeScript-blue square with three white bars of different lengths (sentence vectors).
import { deflateSync } from 'node:zlib';

const BLUE = [0x31, 0x78, 0xc6, 0xff];
const WHITE = [0xff, 0xff, 0xff, 0xff];
const CLEAR = [0, 0, 0, 0];

export function logoPng(size: number): Buffer {
  const rgba = Buffer.alloc(size * size * 4);
  const radius = size / 5;
  const bars = [0.75, 0.55, 0.65].map((len, i) => ({ top: size * (0.25 + i * 0.2), height: size * 0.1, right: size * (0.2 + 0.6 * len) }));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const cx = Math.min(Math.max(x + 0.5, radius), size - radius);
      const cy = Math.min(Math.max(y + 0.5, radius), size - radius);
      const inside = (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= radius ** 2;
      const onBar = bars.some((b) => y >= b.top && y < b.top + b.height && x >= size * 0.2 && x < b.right);
      const color = !inside ? CLEAR : onBar ? WHITE : BLUE;
      rgba.set(color, (y * size + x) * 4);
    }
  }
  return encodePng(size, size, rgba);
}

/** A minimal PNG: 8-bit RGBA, no interlace, filter 0 on every scanline. */
export function encodePng(width: number, height: number, rgba: Buffer): Buffer {
  const raw = Buffer.alloc(height * (width * 4 + 1));
  for (let y = 0; y < height; y++) rgba.copy(raw, y * (width * 4 + 1) + 1, y * width * 4, (y + 1) * width * 4);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 6, 0, 0, 0], 8); // bit depth 8, color type RGBA, deflate, filter 0, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const out = Buffer.alloc(data.length + 12);
  out.writeUInt32BE(data.length, 0);
  typed.copy(out, 4);
  out.writeUInt32BE(crc32(typed), data.length + 8);
  return out;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(data: Buffer): number {
  let c = 0xffffffff;
  for (const byte of data) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
