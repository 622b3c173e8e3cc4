import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { inflateSync } from 'node:zlib';
import { encodePng, logoPng } from '../../kernel/src/logo';

/** Chunks of a PNG, each checked against its CRC (computed here independently, bit by bit). */
function chunks(png: Buffer): { type: string; data: Buffer }[] {
  const crc = (b: Buffer): number => {
    let c = 0xffffffff;
    for (const byte of b) {
      c ^= byte;
      for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
    }
    return (c ^ 0xffffffff) >>> 0;
  };
  const out = [];
  for (let at = 8; at < png.length; ) {
    const length = png.readUInt32BE(at);
    const typed = png.subarray(at + 4, at + 8 + length);
    assert.equal(png.readUInt32BE(at + 8 + length), crc(typed));
    out.push({ type: typed.subarray(0, 4).toString('ascii'), data: typed.subarray(4) });
    at += length + 12;
  }
  return out;
}

test('encodePng writes RGBA pixels that decode back', () => {
  const rgba = Buffer.from([255, 0, 0, 255, 0, 255, 0, 128, 0, 0, 255, 0, 1, 2, 3, 4]);
  const png = encodePng(2, 2, rgba);
  assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a');
  const parts = chunks(png);
  assert.deepEqual(parts.map((c) => c.type), ['IHDR', 'IDAT', 'IEND']);
  assert.equal(parts[0].data.toString('hex'), '00000002' + '00000002' + '0806000000');
  assert.deepEqual([...inflateSync(parts[1].data)], [0, ...rgba.subarray(0, 8), 0, ...rgba.subarray(8)]);
});

test('the logo: transparent corners, blue square, white bars', () => {
  const raw = inflateSync(chunks(logoPng(32))[1].data);
  const pixel = (x: number, y: number): string => raw.subarray(y * 129 + 1 + x * 4, y * 129 + 1 + x * 4 + 4).toString('hex');
  assert.equal(pixel(0, 0), '00000000');
  assert.equal(pixel(16, 2), '3178c6ff');
  assert.equal(pixel(8, 8), 'ffffffff');
});
