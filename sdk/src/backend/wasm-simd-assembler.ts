// A small WebAssembly binary writer for our own SIMD kernels (no toolchain needed at build or run time):
// a module that imports the tfjs wasm backend's memory and exports functions whose bodies are written
// with the instruction helpers below. Only the instructions our kernels use are here.

export type ValType = 'i32' | 'f32' | 'v128';
const VALTYPE: Record<ValType, number> = { i32: 0x7f, f32: 0x7d, v128: 0x7b };

export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let byte = n & 0x7f;
    n >>>= 7;
    if (n !== 0) byte |= 0x80;
    out.push(byte);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const byte = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];

/** Instructions. Memory accesses take a byte address on the stack; alignment hint 4 bytes (floats). */
export const I = {
  localGet: (i: number) => [0x20, ...uleb(i)],
  localSet: (i: number) => [0x21, ...uleb(i)],
  localTee: (i: number) => [0x22, ...uleb(i)],
  i32Const: (n: number) => [0x41, ...sleb(n)],
  f32Const: (x: number) => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32LtU: [0x49],
  i32GtU: [0x4b],
  i32GeU: [0x4f],
  i32ShrU: [0x76],
  i32Eqz: [0x45],
  i32Ne: [0x47],
  i32Load: [0x28, 0x02, 0x00],
  i32Store: [0x36, 0x02, 0x00],
  f32ConvertI32U: [0xb3],
  f32Max: [0x97],
  f32Add: [0x92],
  f32Mul: [0x94],
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  else: [0x05],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  return: [0x0f],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  f32Load: [0x2a, 0x02, 0x00],
  f32Store: [0x38, 0x02, 0x00],
  v128Load: [0xfd, 0x00, 0x02, 0x00],
  v128LoadAt: (offset: number) => [0xfd, 0x00, 0x02, ...uleb(offset)],
  v128Load32Splat: [0xfd, 0x09, 0x02, 0x00],
  v128Store: [0xfd, 0x0b, 0x02, 0x00],
  v128StoreAt: (offset: number) => [0xfd, 0x0b, 0x02, ...uleb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  f32x4Splat: [0xfd, 0x13],
  f32x4ExtractLane: (lane: number) => [0xfd, 0x1f, lane],
  v128Or: [0xfd, 0x50],
  v128And: [0xfd, 0x4e],
  v128Bitselect: [0xfd, 0x52],
  v128AnyTrue: [0xfd, 0x53],
  f32x4Lt: [0xfd, 0x43],
  f32x4Abs: [0xfd, ...uleb(0xe0)],
  f32x4Neg: [0xfd, ...uleb(0xe1)],
  f32x4Sqrt: [0xfd, ...uleb(0xe3)],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  f32x4Sub: [0xfd, ...uleb(0xe5)],
  f32x4Mul: [0xfd, ...uleb(0xe6)],
  f32x4Div: [0xfd, ...uleb(0xe7)],
  f32x4Min: [0xfd, ...uleb(0xe8)],
  f32x4Max: [0xfd, ...uleb(0xe9)],
};

export interface FunctionDef {
  name: string;
  params: ValType[];
  /** Extra locals after the parameters, in order. */
  locals: ValType[];
  /** What it returns (none when absent); the body leaves it on the stack or uses I.return. */
  results?: ValType[];
  body: number[][];
}

/** A module importing env.memory (shared when the backend's memory is) and exporting `functions`. */
export function assembleModule(functions: FunctionDef[], sharedMemory: boolean): Uint8Array {
  const types = vec(functions.map((f) => [0x60, ...vec(f.params.map((t) => [VALTYPE[t]])), ...vec((f.results ?? []).map((t) => [VALTYPE[t]]))]));
  // Shared memories must declare a maximum: 65536 pages (4 GiB), the largest a wasm32 memory can be.
  const limits = sharedMemory ? [0x03, ...uleb(0), ...uleb(65536)] : [0x00, ...uleb(0)];
  const imports = vec([[...uleb(3), ...utf8('env'), ...uleb(6), ...utf8('memory'), 0x02, ...limits]]);
  const funcs = vec(functions.map((_, i) => uleb(i)));
  const exportSection = vec(functions.map((f, i) => [...uleb(f.name.length), ...utf8(f.name), 0x00, ...uleb(i)]));
  const codes = vec(
    functions.map((f) => {
      const locals = vec(f.locals.map((t) => [1, VALTYPE[t]]));
      const body = [...locals, ...f.body.flat(), ...I.end];
      return [...uleb(body.length), ...body];
    }),
  );
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...section(1, types), ...section(2, imports), ...section(3, funcs), ...section(7, exportSection), ...section(10, codes)]);
}
