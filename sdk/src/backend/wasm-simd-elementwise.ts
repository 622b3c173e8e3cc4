// SIMD loops for the Transformer's elementwise and row-wise work, compiled once per wasm backend against
// its memory (as wasm-simd-kernels.ts): column sums (the gradient of every bias add), GELU with the exact
// erf and LayerNorm, forward and gradient (formulas in fused-gelu.ts and fused-layer-norm.ts). wasm's own Erf and Exp are scalar libm calls (~10 ns per element); here erf is a
// rational function and exp a polynomial, 4 lanes at a time.
//   erf(x): Eigen's generic_fast_erf_float (x clamped to [−4, 4], odd degree-13 / even degree-8 polynomials,
//           within a few float ulps of erf).
//   exp(y), y ≤ 0: y = n·ln2 + r (Cody–Waite), exp(r) by its Taylor polynomial to r⁶, times 2ⁿ.
import { I, assembleModule, uleb, type FunctionDef, type ValType } from './wasm-simd-assembler';
import { heapBackend, type Info, type WasmMemory } from './wasm-heap';

interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: object };
}
const WebAssemblyGlobal = (globalThis as unknown as { WebAssembly: WebAssemblyApi }).WebAssembly;

export interface ElementwiseKernels {
  /** out[j] = Σ_r x[r, j] over `rows` rows of `rowBytes` (a multiple of 16), r in order; out zero on entry. */
  columnSum(x: number, out: number, rows: number, rowBytes: number): void;
  /** y = x · Φ(x), Φ(x) = (1 + erf(x/√2)) / 2, over `bytes` bytes (a multiple of 16). */
  gelu(x: number, y: number, bytes: number): void;
  /** dx = dy · (Φ(x) + x · φ(x)), φ(x) = exp(−x²/2)/√(2π). */
  geluGrad(x: number, dy: number, dx: number, bytes: number): void;
  /**
   * Inverted dropout over `bytes` bytes: out[i] = x[i]·scale where dropoutHash(i, seedA, seedB) >>> 8 ≥
   * threshold, else 0 (fused-dropout.ts).
   */
  dropout(x: number, out: number, bytes: number, seedA: number, seedB: number, threshold: number, scale: number): void;
  /** y = (x − μ)/sqrt(σ² + ε)·γ + β per row of `rowBytes` (a multiple of 16); invH = 1 / row length. */
  layerNorm(x: number, gamma: number, beta: number, y: number, rows: number, rowBytes: number, invH: number, eps: number): void;
  /** dx per row; dGamma += Σ dy·x̂ and dBeta += Σ dy over rows (both zero on entry). */
  layerNormGrad(x: number, gamma: number, dy: number, dx: number, dGamma: number, dBeta: number, rows: number, rowBytes: number, invH: number, eps: number): void;
}

// Opcodes beyond the assembler's set (SIMD proposal numbering).
const X = {
  f32x4Nearest: [0xfd, ...uleb(0x6a)],
  i32x4TruncSatF32x4S: [0xfd, ...uleb(0xf8)],
  i32x4Shl: [0xfd, ...uleb(0xab)],
  i32x4Add: [0xfd, ...uleb(0xae)],
  i32x4Splat: [0xfd, ...uleb(0x11)],
  i32x4ShrU: [0xfd, ...uleb(0xad)],
  i32x4Mul: [0xfd, ...uleb(0xb5)],
  i32x4GeS: [0xfd, ...uleb(0x3f)],
  v128Xor: [0xfd, ...uleb(0x51)],
  /** v128.const of four i32 lanes. */
  i32x4Const: (lanes: number[]) => [0xfd, 0x0c, ...new Uint8Array(new Int32Array(lanes).buffer)],
  f32Sqrt: [0x91],
  f32Div: [0x95],
};

// Eigen's coefficients (generic_fast_erf_float), highest degree first.
const ERF_P = [-2.72614225801306e-10, 2.77068142495902e-8, -2.10102402082508e-6, -5.69250639462346e-5, -7.34990630326855e-4, -2.95459980854025e-3, -1.60960333262415e-2];
const ERF_Q = [-1.45660718464996e-5, -2.13374055278905e-4, -1.68282697438203e-3, -7.37332916720468e-3, -1.42647390514189e-2];
const LN2_HI = 0.693359375;
const LN2_LO = -2.12194440e-4;
const EXP_TAYLOR = [1 / 720, 1 / 120, 1 / 24, 1 / 6, 1 / 2, 1, 1];

/** Locals by name: parameters first, then declared locals, numbered in order. */
function frame(params: [string, ValType][], locals: [string, ValType][]) {
  const at: Record<string, number> = {};
  [...params, ...locals].forEach(([name], i) => (at[name] = i));
  const get = (name: string) => I.localGet(at[name]);
  const set = (name: string) => I.localSet(at[name]);
  return { at, get, set, params: params.map(([, t]) => t), locals: locals.map(([, t]) => t) };
}

const splat = (c: number): number[][] => [I.f32Const(c), I.f32x4Splat];

/** Horner: the stack holds nothing; leaves Σ c_i t^i (coefficients highest first) with t from `t`. */
function horner(coefficients: number[], t: number[][]): number[][] {
  const out: number[][] = [...splat(coefficients[0])];
  for (const c of coefficients.slice(1)) out.push(...t, I.f32x4Mul, ...splat(c), I.f32x4Add);
  return out;
}

/** erf of the vector in local `v` (clobbers `t`, `p`): leaves it on the stack. */
function erf(f: ReturnType<typeof frame>, v: string): number[][] {
  return [
    f.get(v), ...splat(4), I.f32x4Min, ...splat(-4), I.f32x4Max, f.set(v),
    f.get(v), f.get(v), I.f32x4Mul, f.set('t'),
    ...horner(ERF_P, [f.get('t')]), f.get(v), I.f32x4Mul, f.set('p'),
    f.get('p'), ...horner(ERF_Q, [f.get('t')]), I.f32x4Div,
  ];
}

/** exp of the vector in local `v` (v ≤ 0; clobbers `t`, `n`): leaves it on the stack. */
function expNonPositive(f: ReturnType<typeof frame>, v: string): number[][] {
  return [
    f.get(v), ...splat(-87), I.f32x4Max, f.set(v),
    f.get(v), ...splat(Math.LOG2E), I.f32x4Mul, X.f32x4Nearest, f.set('n'),
    // r = v − n·ln2 (in two parts, so r keeps its low bits)
    f.get(v), f.get('n'), ...splat(LN2_HI), I.f32x4Mul, I.f32x4Sub, f.get('n'), ...splat(LN2_LO), I.f32x4Mul, I.f32x4Sub, f.set('t'),
    ...horner(EXP_TAYLOR, [f.get('t')]),
    // × 2ⁿ: the float with exponent bits n + 127
    f.get('n'), X.i32x4TruncSatF32x4S, I.i32Const(127), X.i32x4Splat, X.i32x4Add, I.i32Const(23), X.i32x4Shl,
    I.f32x4Mul,
  ];
}

const ELEMENTWISE_LOCALS: [string, ValType][] = [['i', 'i32'], ['end', 'i32'], ['u', 'v128'], ['w', 'v128'], ['t', 'v128'], ['p', 'v128'], ['n', 'v128']];

/** for (i = 0; i < bytes; i += 16) body (bytes > 0) */
function overBytes(f: ReturnType<typeof frame>, body: number[][]): number[][] {
  return [
    I.i32Const(0), f.set('i'),
    f.get('bytes'), I.i32Eqz, I.if, I.else,
    I.loop, ...body, f.get('i'), I.i32Const(16), I.i32Add, I.localTee(f.at.i), f.get('bytes'), I.i32LtU, I.brIf(0), I.end,
    I.end,
  ];
}

const at = (f: ReturnType<typeof frame>, base: string): number[][] => [f.get(base), f.get('i'), I.i32Add];

function geluFunction(): FunctionDef {
  const f = frame([['x', 'i32'], ['y', 'i32'], ['bytes', 'i32']], ELEMENTWISE_LOCALS);
  const body = overBytes(f, [
    ...at(f, 'x'), I.v128Load, f.set('u'),
    f.get('u'), ...splat(Math.SQRT1_2), I.f32x4Mul, f.set('w'),
    ...at(f, 'y'),
    // x · (0.5 · (1 + erf(x/√2)))
    f.get('u'), ...erf(f, 'w'), ...splat(1), I.f32x4Add, ...splat(0.5), I.f32x4Mul, I.f32x4Mul,
    I.v128Store,
  ]);
  return { name: 'gelu', params: f.params, locals: f.locals, body };
}

function geluGradFunction(): FunctionDef {
  const f = frame([['x', 'i32'], ['dy', 'i32'], ['dx', 'i32'], ['bytes', 'i32']], [...ELEMENTWISE_LOCALS, ['cdf', 'v128']]);
  const body = overBytes(f, [
    ...at(f, 'x'), I.v128Load, f.set('u'),
    f.get('u'), ...splat(Math.SQRT1_2), I.f32x4Mul, f.set('w'),
    ...erf(f, 'w'), ...splat(1), I.f32x4Add, ...splat(0.5), I.f32x4Mul, f.set('cdf'),
    f.get('u'), f.get('u'), I.f32x4Mul, ...splat(-0.5), I.f32x4Mul, f.set('w'),
    ...at(f, 'dx'),
    // dy · (Φ + x · exp(−x²/2) / √(2π))
    ...at(f, 'dy'), I.v128Load,
    f.get('cdf'), f.get('u'), ...expNonPositive(f, 'w'), I.f32x4Mul, ...splat(1 / Math.sqrt(2 * Math.PI)), I.f32x4Mul, I.f32x4Add,
    I.f32x4Mul,
    I.v128Store,
  ]);
  return { name: 'geluGrad', params: f.params, locals: f.locals, body };
}

function columnSumFunction(): FunctionDef {
  const f = frame([['x', 'i32'], ['out', 'i32'], ['rows', 'i32'], ['rowBytes', 'i32']], [['r', 'i32'], ['j', 'i32'], ['src', 'i32']]);
  const body: number[][] = [
    I.i32Const(0), f.set('r'), f.get('x'), f.set('src'),
    I.block, I.loop,
    f.get('r'), f.get('rows'), I.i32GeU, I.brIf(1),
    I.i32Const(0), f.set('j'),
    I.block, I.loop,
    f.get('j'), f.get('rowBytes'), I.i32GeU, I.brIf(1),
    f.get('out'), f.get('j'), I.i32Add,
    f.get('out'), f.get('j'), I.i32Add, I.v128Load, f.get('src'), f.get('j'), I.i32Add, I.v128Load, I.f32x4Add,
    I.v128Store,
    f.get('j'), I.i32Const(16), I.i32Add, f.set('j'), I.br(0),
    I.end, I.end,
    f.get('src'), f.get('rowBytes'), I.i32Add, f.set('src'),
    f.get('r'), I.i32Const(1), I.i32Add, f.set('r'), I.br(0),
    I.end, I.end,
  ];
  return { name: 'columnSum', params: f.params, locals: f.locals, body };
}

/** lowbias32 (Chris Wellons' integer hash) of the i32 lanes on the stack, as dropoutHash does. */
function mix(f: ReturnType<typeof frame>, v: string): number[][] {
  const xorShift = (k: number) => [f.get(v), f.get(v), I.i32Const(k), X.i32x4ShrU, X.v128Xor, f.set(v)];
  const times = (c: number) => [f.get(v), I.i32Const(c | 0), X.i32x4Splat, X.i32x4Mul, f.set(v)];
  return [f.set(v), ...xorShift(16), ...times(0x7feb352d), ...xorShift(15), ...times(0x846ca68b), ...xorShift(16)];
}

function dropoutFunction(): FunctionDef {
  const f = frame(
    [['x', 'i32'], ['out', 'i32'], ['bytes', 'i32'], ['seedA', 'i32'], ['seedB', 'i32'], ['threshold', 'i32'], ['scale', 'f32']],
    [['i', 'i32'], ['idx', 'v128'], ['h', 'v128']],
  );
  const body = [
    X.i32x4Const([0, 1, 2, 3]), f.set('idx'),
    ...overBytes(f, [
      // h = mix(mix(index + seedA) ^ seedB)
      f.get('idx'), f.get('seedA'), X.i32x4Splat, X.i32x4Add, ...mix(f, 'h'),
      f.get('h'), f.get('seedB'), X.i32x4Splat, X.v128Xor, ...mix(f, 'h'),
      ...at(f, 'out'),
      ...at(f, 'x'), I.v128Load, f.get('scale'), I.f32x4Splat, I.f32x4Mul,
      f.get('h'), I.i32Const(8), X.i32x4ShrU, f.get('threshold'), X.i32x4Splat, X.i32x4GeS,
      I.v128And, I.v128Store,
      f.get('idx'), I.i32Const(4), X.i32x4Splat, X.i32x4Add, f.set('idx'),
    ]),
  ];
  return { name: 'dropout', params: f.params, locals: f.locals, body };
}

/**
 * LayerNorm forward (`grad` false) or gradient, one row at a time: μ, then σ² from (x − μ)², in float32
 * vectors summed across lanes; then one pass (forward) or two (gradient: Σ g, Σ g·x̂, then dx).
 */
function layerNormFunction(grad: boolean): FunctionDef {
  const params: [string, ValType][] = grad
    ? [['x', 'i32'], ['gamma', 'i32'], ['dy', 'i32'], ['dx', 'i32'], ['dGamma', 'i32'], ['dBeta', 'i32'], ['rows', 'i32'], ['rowBytes', 'i32'], ['invH', 'f32'], ['eps', 'f32']]
    : [['x', 'i32'], ['gamma', 'i32'], ['beta', 'i32'], ['y', 'i32'], ['rows', 'i32'], ['rowBytes', 'i32'], ['invH', 'f32'], ['eps', 'f32']];
  const f = frame(params, [
    ['r', 'i32'], ['base', 'i32'], ['j', 'i32'], ['p', 'i32'],
    ['acc', 'v128'], ['acc2', 'v128'], ['M', 'v128'], ['R', 'v128'], ['xh', 'v128'], ['d', 'v128'], ['g', 'v128'], ['MG', 'v128'], ['MGX', 'v128'],
  ]);
  const { get, set } = f;
  // for (j = 0; j < rowBytes; j += 16) { p = base + j; body }
  const row = (body: number[][]) => [
    I.i32Const(0), set('j'),
    I.loop, get('base'), get('j'), I.i32Add, set('p'), ...body,
    get('j'), I.i32Const(16), I.i32Add, I.localTee(f.at.j), get('rowBytes'), I.i32LtU, I.brIf(0), I.end,
  ];
  const ld = (base: string) => [get(base), get('p'), I.i32Add, I.v128Load];
  const ldCol = (base: string) => [get(base), get('j'), I.i32Add, I.v128Load];
  const laneSum = (v: string) => [get(v), I.f32x4ExtractLane(0), get(v), I.f32x4ExtractLane(1), I.f32Add, get(v), I.f32x4ExtractLane(2), I.f32Add, get(v), I.f32x4ExtractLane(3), I.f32Add];
  const meanOf = (v: string) => [...laneSum(v), get('invH'), I.f32Mul, I.f32x4Splat];
  const centered = [...ld('x'), get('M'), I.f32x4Sub];
  const stats = [
    I.v128Zero, set('acc'),
    ...row([get('acc'), ...ld('x'), I.f32x4Add, set('acc')]),
    ...meanOf('acc'), set('M'),
    I.v128Zero, set('acc'),
    ...row([...centered, set('d'), get('acc'), get('d'), get('d'), I.f32x4Mul, I.f32x4Add, set('acc')]),
    I.f32Const(1), ...laneSum('acc'), get('invH'), I.f32Mul, get('eps'), I.f32Add, X.f32Sqrt, X.f32Div, I.f32x4Splat, set('R'),
  ];
  const forwardRow = row([get('y'), get('p'), I.i32Add, ...centered, get('R'), I.f32x4Mul, ...ldCol('gamma'), I.f32x4Mul, ...ldCol('beta'), I.f32x4Add, I.v128Store]);
  const gradRow = [
    I.v128Zero, set('acc'), I.v128Zero, set('acc2'),
    ...row([
      ...centered, get('R'), I.f32x4Mul, set('xh'),
      ...ld('dy'), set('d'),
      get('d'), ...ldCol('gamma'), I.f32x4Mul, set('g'),
      get('acc'), get('g'), I.f32x4Add, set('acc'),
      get('acc2'), get('g'), get('xh'), I.f32x4Mul, I.f32x4Add, set('acc2'),
      get('dGamma'), get('j'), I.i32Add, ...ldCol('dGamma'), get('d'), get('xh'), I.f32x4Mul, I.f32x4Add, I.v128Store,
      get('dBeta'), get('j'), I.i32Add, ...ldCol('dBeta'), get('d'), I.f32x4Add, I.v128Store,
    ]),
    ...meanOf('acc'), set('MG'),
    ...meanOf('acc2'), set('MGX'),
    // dx = (dy·γ − mean(g) − x̂·mean(g·x̂)) · rstd
    ...row([
      get('dx'), get('p'), I.i32Add,
      ...ld('dy'), ...ldCol('gamma'), I.f32x4Mul, get('MG'), I.f32x4Sub,
      ...centered, get('R'), I.f32x4Mul, get('MGX'), I.f32x4Mul, I.f32x4Sub,
      get('R'), I.f32x4Mul, I.v128Store,
    ]),
  ];
  const body: number[][] = [
    I.i32Const(0), set('r'), I.i32Const(0), set('base'),
    I.block, I.loop,
    get('r'), get('rows'), I.i32GeU, I.brIf(1),
    ...stats,
    ...(grad ? gradRow : forwardRow),
    get('base'), get('rowBytes'), I.i32Add, set('base'),
    get('r'), I.i32Const(1), I.i32Add, set('r'), I.br(0),
    I.end, I.end,
  ];
  return { name: grad ? 'layerNormGrad' : 'layerNorm', params: f.params, locals: f.locals, body };
}

const compiled = new WeakMap<WasmMemory, ElementwiseKernels>();

/** The kernels bound to `memory` (compiled on first use); undefined where WebAssembly SIMD is unavailable. */
export function elementwiseKernels(memory: WasmMemory): ElementwiseKernels | undefined {
  const cached = compiled.get(memory);
  if (cached) return cached;
  const shared = typeof SharedArrayBuffer !== 'undefined' && memory.buffer instanceof SharedArrayBuffer;
  const bytes = assembleModule([columnSumFunction(), geluFunction(), geluGradFunction(), layerNormFunction(false), layerNormFunction(true), dropoutFunction()], shared);
  if (!WebAssemblyGlobal.validate(bytes)) return undefined;
  const instance = new WebAssemblyGlobal.Instance(new WebAssemblyGlobal.Module(bytes), { env: { memory } });
  const kernels = instance.exports as unknown as ElementwiseKernels;
  compiled.set(memory, kernels);
  return kernels;
}

/**
 * For an elementwise kernel on wasm: a new float32 output shaped like inputs[0], heap views of the inputs
 * and the output (in that order, taken after the allocation), our SIMD loops, and how many leading
 * elements they take (a multiple of 4; JavaScript does the rest).
 */
export function elementwiseOnHeap(b: unknown, inputs: Info[]): { out: Info; views: Float32Array[]; simd?: ElementwiseKernels; vectorized: number } {
  const backend = heapBackend(b);
  const out = backend.makeOutput(inputs[0].shape, 'float32');
  const views = [...inputs, out].map((t) => backend.typedArrayFromHeap(t) as Float32Array);
  const memory = backend.wasm.asm?.memory;
  const simd = memory ? elementwiseKernels(memory) : undefined;
  return { out, views, simd, vectorized: simd ? views[0].length & ~3 : 0 };
}
