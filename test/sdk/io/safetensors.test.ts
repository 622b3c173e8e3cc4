import { test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeSafetensors, decodeSafetensors } from '../../../sdk/src/io/safetensors';

test('round trip keeps names, shapes and values; header is 8-byte aligned little-endian', () => {
  const tensors = new Map([
    ['b.weight', { shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, 6.5]) }],
    ['a.bias', { shape: [3], data: Float32Array.from([-1, 0, 1e-7]) }],
  ]);
  const buf = encodeSafetensors(tensors);
  const n = Number(buf.readBigUInt64LE(0));
  assert.equal((8 + n) % 8, 0, 'data starts 8-byte aligned');
  const header = JSON.parse(buf.subarray(8, 8 + n).toString());
  assert.deepEqual(header['a.bias'], { dtype: 'F32', shape: [3], data_offsets: [0, 12] }, 'sorted names, offsets from the data start');
  assert.deepEqual(header['b.weight'], { dtype: 'F32', shape: [2, 3], data_offsets: [12, 36] });
  assert.deepEqual(header.__metadata__, { format: 'pt' });
  assert.equal(buf.length, 8 + n + 36);
  const back = decodeSafetensors(buf);
  assert.deepEqual([...back.tensors.keys()].sort(), ['a.bias', 'b.weight']);
  assert.deepEqual(Array.from(back.tensors.get('b.weight')!.data), [1, 2, 3, 4, 5, 6.5]);
  assert.deepEqual(back.tensors.get('b.weight')!.shape, [2, 3]);
  assert.equal(back.tensors.get('a.bias')!.data[2], Math.fround(1e-7));
});

function handMade(header: object, data: Buffer): Buffer {
  const h = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(h.length));
  return Buffer.concat([len, h, data]);
}

test('reads F16, BF16, F64 and I64 as written by PyTorch', () => {
  const data = Buffer.alloc(2 * 2 + 2 * 2 + 8 + 8);
  data.writeUInt16LE(0x3c00, 0); // 1.0 in half
  data.writeUInt16LE(0xc000, 2); // -2.0
  data.writeUInt16LE(0x3f80, 4); // 1.0 in bfloat16
  data.writeUInt16LE(0x4040, 6); // 3.0
  data.writeDoubleLE(0.25, 8);
  data.writeBigInt64LE(-7n, 16);
  const buf = handMade(
    {
      h: { dtype: 'F16', shape: [2], data_offsets: [0, 4] },
      bf: { dtype: 'BF16', shape: [2], data_offsets: [4, 8] },
      d: { dtype: 'F64', shape: [1], data_offsets: [8, 16] },
      i: { dtype: 'I64', shape: [1], data_offsets: [16, 24] },
    },
    data,
  );
  const t = decodeSafetensors(buf).tensors;
  assert.deepEqual(Array.from(t.get('h')!.data), [1, -2]);
  assert.deepEqual(Array.from(t.get('bf')!.data), [1, 3]);
  assert.deepEqual(Array.from(t.get('d')!.data), [0.25]);
  assert.deepEqual(Array.from(t.get('i')!.data), [-7]);
});

test('malformed files are rejected with the file name and the reason', () => {
  assert.throws(() => decodeSafetensors(Buffer.alloc(4), 'x.safetensors'), /x.safetensors: too short/);
  const big = Buffer.alloc(16);
  big.writeBigUInt64LE(1000n);
  assert.throws(() => decodeSafetensors(big, 'x.safetensors'), /header length 1000 does not fit a file of 16 bytes/);
  const notJson = Buffer.concat([Buffer.from([3, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{{{')]);
  assert.throws(() => decodeSafetensors(notJson, 'x.safetensors'), /header is not valid JSON/);
  const short = handMade({ w: { dtype: 'F32', shape: [4], data_offsets: [0, 16] } }, Buffer.alloc(8));
  assert.throws(() => decodeSafetensors(short, 'x.safetensors'), /tensor w \(F32 \[4\]\) has data_offsets \[0, 16\] inconsistent/);
  const badShape = handMade({ w: { dtype: 'F32', shape: [3], data_offsets: [0, 8] } }, Buffer.alloc(8));
  assert.throws(() => decodeSafetensors(badShape, 'x.safetensors'), /inconsistent with its shape/);
});
