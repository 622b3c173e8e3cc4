// Our SIMD kernels, compiled once per wasm backend against its own memory, so they read and write tensor
// data where it lives (byte offsets into the heap). AdamW keeps the float32 operation order of the tfjs ops
// it replaces and the bag mean that of its JavaScript loop (bit-identical results); matmul sums over k in order.
import { I, assembleModule, type FunctionDef, type ValType } from './wasm-simd-assembler';
import type { WasmMemory } from './wasm-heap';

/** The parts of the WebAssembly global we use (not in the ES2022 + node typings the SDK compiles with). */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WebAssemblyGlobal = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

export interface SimdKernels {
  /**
   * AdamW over `totalBytes` bytes of float32 rows of `rowBytes` (both multiples of 16): reads p, g, m, v,
   * writes pOut, mOut, vOut. Rows whose g, m, v bits are all zero get only the decay.
   */
  adamw(p: number, g: number, m: number, v: number, pOut: number, mOut: number, vOut: number, totalBytes: number, rowBytes: number, beta1: number, oneMinusBeta1: number, beta2: number, oneMinusBeta2: number, decay: number, bc1: number, bc2: number, epsilon: number, lr: number): void;
  /**
   * C[b] = A[b]·B[b] for `batch` row-major float32 matrices A [M, K], B [K, N] (N a multiple of 4, K ≥ 1);
   * A[b] starts at a + b·strideA bytes (0 broadcasts one matrix), likewise B; C is contiguous.
   */
  matmul(a: number, b: number, c: number, batch: number, m: number, k: number, n: number, strideA: number, strideB: number): void;
  /**
   * out[b] = Σ_t (mask[b,t] ≠ 0) table[ids[b,t]] / max(count_b, 1), rows of `rowBytes` (a multiple of 16);
   * ids and mask int32 [batch, tokens]; `scratch` holds `tokens` int32 (overwritten); out is written whole.
   * Returns -1, or the flat index of the first id outside [0, vocab) (then out is incomplete).
   */
  bagMean(table: number, ids: number, mask: number, out: number, scratch: number, batch: number, tokens: number, rowBytes: number, vocab: number): number;
  /** Its gradient: out[ids[b,t]] += dy[b] / max(count_b, 1) where mask[b,t] ≠ 0; out must be zero on entry. */
  bagMeanGrad(dy: number, ids: number, mask: number, out: number, batch: number, tokens: number, rowBytes: number): void;
}

/** Locals by name: parameters first, then the declared locals, numbered in order. */
function frame(params: [string, ValType][], locals: [string, ValType][]): { at: Record<string, number>; params: ValType[]; locals: ValType[] } {
  const at: Record<string, number> = {};
  [...params, ...locals].forEach(([name], i) => (at[name] = i));
  return { at, params: params.map(([, t]) => t), locals: locals.map(([, t]) => t) };
}

/** `for (i = from; i < end; i += 16) body` (body non-empty: a do-while, the callers' ranges are never empty). */
function loop16(i: number, from: number, end: number, body: number[][]): number[][] {
  return [I.localGet(from), I.localSet(i), I.loop, ...body, I.localGet(i), I.i32Const(16), I.i32Add, I.localTee(i), I.localGet(end), I.i32LtU, I.brIf(0), I.end];
}

/** `while (!exit) body`: `exit` leaves an i32 on the stack, non-zero to leave the loop. */
function whileNot(exit: number[][], body: number[][]): number[][] {
  return [I.block, I.loop, ...exit, I.brIf(1), ...body, I.br(0), I.end, I.end];
}

const load = (base: number, i: number): number[][] => [I.localGet(base), I.localGet(i), I.i32Add, I.v128Load];

function adamwFunction(): FunctionDef {
  const f = frame(
    [
      ['p', 'i32'], ['g', 'i32'], ['m', 'i32'], ['v', 'i32'], ['po', 'i32'], ['mo', 'i32'], ['vo', 'i32'], ['total', 'i32'], ['rowBytes', 'i32'],
      ['beta1', 'f32'], ['omb1', 'f32'], ['beta2', 'f32'], ['omb2', 'f32'], ['decay', 'f32'], ['bc1', 'f32'], ['bc2', 'f32'], ['eps', 'f32'], ['lr', 'f32'],
    ],
    [
      ['row', 'i32'], ['rowEnd', 'i32'], ['i', 'i32'], ['acc', 'v128'], ['G', 'v128'], ['M', 'v128'], ['V', 'v128'],
      ['B1', 'v128'], ['OMB1', 'v128'], ['B2', 'v128'], ['OMB2', 'v128'], ['DEC', 'v128'], ['BC1', 'v128'], ['BC2', 'v128'], ['EPS', 'v128'], ['LR', 'v128'],
    ],
  );
  const a = f.at;
  const splat = (from: string, to: string) => [I.localGet(a[from]), I.f32x4Splat, I.localSet(a[to])];
  const get = (name: string) => I.localGet(a[name]);
  const store = (base: string, value: number[][]) => [get(base), get('i'), I.i32Add, ...value, I.v128Store];
  const body: number[][] = [
    ...splat('beta1', 'B1'), ...splat('omb1', 'OMB1'), ...splat('beta2', 'B2'), ...splat('omb2', 'OMB2'),
    ...splat('decay', 'DEC'), ...splat('bc1', 'BC1'), ...splat('bc2', 'BC2'), ...splat('eps', 'EPS'), ...splat('lr', 'LR'),
    I.i32Const(0), I.localSet(a.row),
    I.block, I.loop,
    get('row'), get('total'), I.i32GeU, I.brIf(1),
    get('row'), get('rowBytes'), I.i32Add, I.localSet(a.rowEnd),
    // Any nonzero bit in this row of g, m or v?
    I.v128Zero, I.localSet(a.acc),
    ...loop16(a.i, a.row, a.rowEnd, [get('acc'), ...load(a.g, a.i), I.v128Or, ...load(a.m, a.i), I.v128Or, ...load(a.v, a.i), I.v128Or, I.localSet(a.acc)]),
    get('acc'), I.v128AnyTrue, I.if,
    ...loop16(a.i, a.row, a.rowEnd, [
      ...load(a.g, a.i), I.localSet(a.G),
      // m' = m·β1 + g·(1−β1)
      ...load(a.m, a.i), get('B1'), I.f32x4Mul, get('G'), get('OMB1'), I.f32x4Mul, I.f32x4Add, I.localSet(a.M),
      // v' = v·β2 + g²·(1−β2)
      ...load(a.v, a.i), get('B2'), I.f32x4Mul, get('G'), get('G'), I.f32x4Mul, get('OMB2'), I.f32x4Mul, I.f32x4Add, I.localSet(a.V),
      ...store('mo', [get('M')]),
      ...store('vo', [get('V')]),
      // p' = p·decay − ((m'/bc1) / (sqrt(v'/bc2) + ε))·lr
      ...store('po', [
        ...load(a.p, a.i), get('DEC'), I.f32x4Mul,
        get('M'), get('BC1'), I.f32x4Div,
        get('V'), get('BC2'), I.f32x4Div, I.f32x4Sqrt, get('EPS'), I.f32x4Add,
        I.f32x4Div, get('LR'), I.f32x4Mul,
        I.f32x4Sub,
      ]),
    ]),
    I.else,
    ...loop16(a.i, a.row, a.rowEnd, [...store('po', [...load(a.p, a.i), get('DEC'), I.f32x4Mul]), ...store('mo', [I.v128Zero]), ...store('vo', [I.v128Zero])]),
    I.end,
    get('rowEnd'), I.localSet(a.row),
    I.br(0),
    I.end, I.end,
  ];
  return { name: 'adamw', params: f.params, locals: f.locals, body };
}

/**
 * Batched matmul, register-blocked: 4 rows × 8 columns of C in 8 vector accumulators; each k loads one row
 * segment of B (2 vectors) and broadcasts A[i + r, k] (v128.load32_splat). Remainders: single rows, and a
 * last block of 4 columns. The sums run over k in order, as a scalar loop would.
 */
function matmulFunction(): FunctionDef {
  const f = frame(
    [['a', 'i32'], ['b', 'i32'], ['c', 'i32'], ['batch', 'i32'], ['M', 'i32'], ['K', 'i32'], ['N', 'i32'], ['strideA', 'i32'], ['strideB', 'i32']],
    [
      ['bi', 'i32'], ['aB', 'i32'], ['bB', 'i32'], ['cB', 'i32'], ['i', 'i32'], ['j', 'i32'], ['rowA', 'i32'], ['rowB', 'i32'],
      ['ap0', 'i32'], ['ap1', 'i32'], ['ap2', 'i32'], ['ap3', 'i32'], ['bp', 'i32'], ['kEnd', 'i32'], ['cp', 'i32'],
      ['acc0', 'v128'], ['acc1', 'v128'], ['acc2', 'v128'], ['acc3', 'v128'], ['acc4', 'v128'], ['acc5', 'v128'], ['acc6', 'v128'], ['acc7', 'v128'],
      ['b0', 'v128'], ['b1', 'v128'], ['av', 'v128'],
    ],
  );
  const a = f.at;
  const get = (name: string) => I.localGet(a[name]);
  const set = (name: string) => I.localSet(a[name]);
  const acc = (r: number, c: number) => `acc${r * 2 + c}`;
  const ap = (r: number) => `ap${r}`;
  // One R × (4·CV) block of C at rows i.., columns j...
  const block = (R: number, CV: number): number[][] => {
    const out: number[][] = [];
    for (let r = 0; r < R; r++) for (let c = 0; c < CV; c++) out.push(I.v128Zero, set(acc(r, c)));
    for (let r = 0; r < R; r++) out.push(get('aB'), get('i'), I.i32Const(r), I.i32Add, get('rowA'), I.i32Mul, I.i32Add, set(ap(r)));
    out.push(get('bB'), get('j'), I.i32Const(4), I.i32Mul, I.i32Add, set('bp'));
    out.push(get('ap0'), get('rowA'), I.i32Add, set('kEnd'));
    out.push(I.loop);
    for (let c = 0; c < CV; c++) out.push(get('bp'), I.v128LoadAt(16 * c), set(`b${c}`));
    for (let r = 0; r < R; r++) {
      out.push(get(ap(r)), I.v128Load32Splat, set('av'));
      for (let c = 0; c < CV; c++) out.push(get(acc(r, c)), get('av'), get(`b${c}`), I.f32x4Mul, I.f32x4Add, set(acc(r, c)));
      out.push(get(ap(r)), I.i32Const(4), I.i32Add, set(ap(r)));
    }
    out.push(get('bp'), get('rowB'), I.i32Add, set('bp'));
    out.push(get('ap0'), get('kEnd'), I.i32LtU, I.brIf(0), I.end);
    out.push(get('cB'), get('i'), get('N'), I.i32Mul, get('j'), I.i32Add, I.i32Const(4), I.i32Mul, I.i32Add, set('cp'));
    for (let r = 0; r < R; r++) for (let c = 0; c < CV; c++) out.push(get('cp'), get('rowB'), I.i32Const(r), I.i32Mul, I.i32Add, get(acc(r, c)), I.v128StoreAt(16 * c));
    return out;
  };
  // All column blocks of rows i.. (R of them): 8 columns at a time, then 4 if N % 8 == 4.
  const columns = (R: number): number[][] => [
    I.i32Const(0), set('j'),
    I.block, I.loop,
    get('j'), I.i32Const(8), I.i32Add, get('N'), I.i32GtU, I.brIf(1),
    ...block(R, 2),
    get('j'), I.i32Const(8), I.i32Add, set('j'), I.br(0),
    I.end, I.end,
    get('j'), get('N'), I.i32LtU, I.if, ...block(R, 1), I.end,
  ];
  const body: number[][] = [
    get('K'), I.i32Const(4), I.i32Mul, set('rowA'),
    get('N'), I.i32Const(4), I.i32Mul, set('rowB'),
    get('a'), set('aB'), get('b'), set('bB'), get('c'), set('cB'),
    I.i32Const(0), set('bi'),
    I.block, I.loop,
    get('bi'), get('batch'), I.i32GeU, I.brIf(1),
    I.i32Const(0), set('i'),
    // Rows in blocks of 4 while 4 remain, then one at a time.
    I.block, I.loop,
    get('i'), I.i32Const(4), I.i32Add, get('M'), I.i32GtU, I.brIf(1),
    ...columns(4),
    get('i'), I.i32Const(4), I.i32Add, set('i'), I.br(0),
    I.end, I.end,
    I.block, I.loop,
    get('i'), get('M'), I.i32GeU, I.brIf(1),
    ...columns(1),
    get('i'), I.i32Const(1), I.i32Add, set('i'), I.br(0),
    I.end, I.end,
    get('aB'), get('strideA'), I.i32Add, set('aB'),
    get('bB'), get('strideB'), I.i32Add, set('bB'),
    get('cB'), get('M'), get('rowB'), I.i32Mul, I.i32Add, set('cB'),
    get('bi'), I.i32Const(1), I.i32Add, set('bi'), I.br(0),
    I.end, I.end,
  ];
  return { name: 'matmul', params: f.params, locals: f.locals, body };
}

/**
 * EmbeddingBag-mean forward (embedding-bag.ts): out[b] = Σ_t table[ids[b,t]] over mask[b,t] ≠ 0, ÷ max(count, 1),
 * with the float32 operations of the JavaScript loop there, in its order (bit-identical). Each bag first
 * checks its ids and lists the byte addresses of its real tokens' rows in `scratch` (tokens × 4 bytes), then
 * sums the rows 64 bytes at a time over that list in 4 vector accumulators (from +0) and stores each chunk
 * once, divided; a row's last < 64 bytes go 16 at a time. Summing a cache line of every row before the next line keeps many
 * independent loads in flight, and the list spares each chunk the mask test and the id lookup: with both,
 * the sum ran at half the speed (bench/README.md, item 18).
 */
function bagMeanFunction(): FunctionDef {
  const accs = ['acc0', 'acc1', 'acc2', 'acc3'];
  const f = frame(
    [['src', 'i32'], ['ids', 'i32'], ['mask', 'i32'], ['out', 'i32'], ['scratch', 'i32'], ['batch', 'i32'], ['tokens', 'i32'], ['rowBytes', 'i32'], ['vocab', 'i32']],
    [
      ['b', 'i32'], ['id', 'i32'], ['p', 'i32'], ['q', 'i32'], ['qEnd', 'i32'], ['s', 'i32'], ['listEnd', 'i32'], ['dst', 'i32'], ['c', 'i32'], ['N', 'v128'],
      ...accs.map((name): [string, ValType] => [name, 'v128']),
    ],
  );
  const a = f.at;
  const get = (name: string) => I.localGet(a[name]);
  const set = (name: string) => I.localSet(a[name]);
  const add4 = (name: string) => [get(name), I.i32Const(4), I.i32Add, set(name)];
  // The bag's list: listEnd = scratch + 4·count, each entry src + ids[b,t]·rowBytes.
  const list = [
    get('b'), get('tokens'), I.i32Mul, I.i32Const(4), I.i32Mul, I.localTee(a.p), get('mask'), I.i32Add, I.localTee(a.q),
    get('tokens'), I.i32Const(4), I.i32Mul, I.i32Add, set('qEnd'),
    get('ids'), get('p'), I.i32Add, set('p'),
    get('scratch'), set('listEnd'),
    ...whileNot([get('q'), get('qEnd'), I.i32GeU], [
      // An id outside [0, vocab) (one unsigned compare): return its index; out is left incomplete.
      get('p'), I.i32Load, I.localTee(a.id), get('vocab'), I.i32GeU, I.if, get('p'), get('ids'), I.i32Sub, I.i32Const(2), I.i32ShrU, I.return, I.end,
      get('q'), I.i32Load, I.i32Const(0), I.i32Ne, I.if,
      get('listEnd'), get('src'), get('id'), get('rowBytes'), I.i32Mul, I.i32Add, I.i32Store,
      ...add4('listEnd'),
      I.end,
      ...add4('p'), ...add4('q'),
    ]),
    // N = max(count, 1) in every lane.
    get('listEnd'), get('scratch'), I.i32Sub, I.i32Const(2), I.i32ShrU, I.f32ConvertI32U, I.f32Const(1), I.f32Max, I.f32x4Splat, set('N'),
  ];
  // Sum `width` accumulators' bytes at c over the list, then store them ÷ N at dst + c.
  const chunk = (width: number) => [
    ...accs.slice(0, width).flatMap((acc) => [I.v128Zero, set(acc)]),
    get('scratch'), set('s'),
    ...whileNot([get('s'), get('listEnd'), I.i32GeU], [
      get('s'), I.i32Load, get('c'), I.i32Add, set('q'),
      ...accs.slice(0, width).flatMap((acc, i) => [get(acc), get('q'), I.v128LoadAt(16 * i), I.f32x4Add, set(acc)]),
      ...add4('s'),
    ]),
    ...accs.slice(0, width).flatMap((acc, i) => [get('dst'), get('c'), I.i32Add, get(acc), get('N'), I.f32x4Div, I.v128StoreAt(16 * i)]),
    get('c'), I.i32Const(16 * width), I.i32Add, set('c'),
  ];
  const bag = [
    ...list,
    get('out'), get('b'), get('rowBytes'), I.i32Mul, I.i32Add, set('dst'),
    I.i32Const(0), set('c'),
    ...whileNot([get('c'), I.i32Const(16 * accs.length), I.i32Add, get('rowBytes'), I.i32GtU], chunk(accs.length)),
    ...whileNot([get('c'), get('rowBytes'), I.i32GeU], chunk(1)),
  ];
  return {
    name: 'bagMean',
    params: f.params,
    locals: f.locals,
    results: ['i32'],
    body: [I.i32Const(0), set('b'), ...whileNot([get('b'), get('batch'), I.i32GeU], [...bag, get('b'), I.i32Const(1), I.i32Add, set('b')]), I.i32Const(-1)],
  };
}

/**
 * EmbeddingBag-mean gradient (embedding-bag.ts): out[ids[b,t]] += dy[b] / max(count_b, 1) where mask[b,t] ≠ 0,
 * the float32 operations of the JavaScript loop there, in its order; out is zero on entry.
 */
function bagMeanGradFunction(): FunctionDef {
  const f = frame(
    [['src', 'i32'], ['ids', 'i32'], ['mask', 'i32'], ['out', 'i32'], ['batch', 'i32'], ['tokens', 'i32'], ['rowBytes', 'i32']],
    [['b', 'i32'], ['t', 'i32'], ['k', 'i32'], ['row', 'i32'], ['dst', 'i32'], ['end', 'i32'], ['j', 'i32'], ['last', 'i32'], ['count', 'f32'], ['N', 'v128']],
  );
  const a = f.at;
  const get = (name: string) => I.localGet(a[name]);
  const set = (name: string) => I.localSet(a[name]);
  // k = byte offset of (b, t) in ids/mask; true when mask[b, t] ≠ 0.
  const maskSet = [get('b'), get('tokens'), I.i32Mul, get('t'), I.i32Add, I.i32Const(4), I.i32Mul, set('k'), get('mask'), get('k'), I.i32Add, I.i32Load, I.i32Const(0), I.i32Ne];
  // t over [0, bound): every position when counting, then only up to the last real token (padding is skipped).
  const forTokens = (body: number[][], bound = 'last') => [I.i32Const(0), set('t'), ...whileNot([get('t'), get(bound), I.i32GeU], [...body, get('t'), I.i32Const(1), I.i32Add, set('t')])];
  const countTokens = [
    I.f32Const(0), set('count'), I.i32Const(0), set('last'),
    ...forTokens([...maskSet, I.if, get('count'), I.f32Const(1), I.f32Add, set('count'), get('t'), I.i32Const(1), I.i32Add, set('last'), I.end], 'tokens'),
    get('count'), I.f32Const(1), I.f32Max, I.f32x4Splat, set('N'),
  ];
  const rowOf = (base: string, index: number[][]) => [get(base), ...index, get('rowBytes'), I.i32Mul, I.i32Add];
  const idAtK = [get('ids'), get('k'), I.i32Add, I.i32Load];
  // j walks the destination row; the source row is at j + row (row = source start − destination start).
  const body: number[][] = [
    ...countTokens,
    ...forTokens([
      ...maskSet, I.if,
      ...rowOf('out', idAtK), set('dst'),
      ...rowOf('src', [get('b')]), get('dst'), I.i32Sub, set('row'),
      get('dst'), I.localTee(a.j), get('rowBytes'), I.i32Add, set('end'),
      ...loop16(a.j, a.j, a.end, [get('j'), get('j'), I.v128Load, get('j'), get('row'), I.i32Add, I.v128Load, get('N'), I.f32x4Div, I.f32x4Add, I.v128Store]),
      I.end,
    ]),
  ];
  return {
    name: 'bagMeanGrad',
    params: f.params,
    locals: f.locals,
    body: [I.i32Const(0), set('b'), ...whileNot([get('b'), get('batch'), I.i32GeU], [...body, get('b'), I.i32Const(1), I.i32Add, set('b')])],
  };
}

const compiled = new WeakMap<WasmMemory, SimdKernels>();

/** The kernels bound to `memory` (compiled on first use); undefined where WebAssembly SIMD is unavailable. */
export function simdKernels(memory: WasmMemory): SimdKernels | undefined {
  const cached = compiled.get(memory);
  if (cached) return cached;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = assembleModule([adamwFunction(), matmulFunction(), bagMeanFunction(), bagMeanGradFunction()], shared);
  if (!WebAssemblyGlobal.validate(bytes)) return undefined;
  const instance = new WebAssemblyGlobal.Instance(new WebAssemblyGlobal.Module(bytes), { env: { memory } });
  const kernels = instance.exports as unknown as SimdKernels;
  compiled.set(memory, kernels);
  return kernels;
}
