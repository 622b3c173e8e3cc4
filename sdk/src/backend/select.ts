// Picks the tfjs backend once, at import: native TensorFlow when its binding is really there,
// else WebAssembly (SIMD), else plain JavaScript. SENTENCE_TFJS_BACKEND forces one.
import * as tf from '@tensorflow/tfjs';
import { registerEmbeddingBag } from './embedding-bag';
import { registerFusedAdamW } from './fused-adamw';
import { registerFusedDropout } from './fused-dropout';
import { registerFusedGelu } from './fused-gelu';
import { registerFusedLayerNorm } from './fused-layer-norm';
import { registerWasmTrainingKernels } from './wasm-kernels';

export type BackendName = 'tensorflow' | 'wasm' | 'cpu';

export interface BackendInfo {
  /** The active tfjs backend. */
  name: BackendName;
  /** How it was chosen: by the environment variable, or automatically. */
  chosenBy: 'env' | 'auto' | 'user';
  /** Backends tried before this one, and why each was passed over. */
  skipped: { name: BackendName; reason: string }[];
  /** For wasm: whether SIMD and threads are in use. */
  features: Record<string, boolean | number>;
}

export const BACKEND_ENV_VAR = 'SENTENCE_TFJS_BACKEND';
const KNOWN: readonly BackendName[] = ['tensorflow', 'wasm', 'cpu'];

// `npm overrides` may alias @tensorflow/tfjs-node to plain @tensorflow/tfjs (danfojs-node needs that
// here), so a successful require proves nothing: the 'tensorflow' backend must actually be registered.
function loadTensorflowBinding(): string | undefined {
  const reasons: string[] = [];
  for (const pkg of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require(pkg);
      if (tf.findBackendFactory('tensorflow') != null) return undefined;
      reasons.push(`${pkg} loads but registers no 'tensorflow' backend (an alias of @tensorflow/tfjs?)`);
    } catch (e) {
      reasons.push(`${pkg}: ${firstLine(e)}`);
    }
  }
  return reasons.join('; ');
}

function loadWasm(): string | undefined {
  try {
    require('@tensorflow/tfjs-backend-wasm');
    return tf.findBackendFactory('wasm') != null ? undefined : 'tfjs-backend-wasm registered no backend';
  } catch (e) {
    return `@tensorflow/tfjs-backend-wasm: ${firstLine(e)}`;
  }
}

function firstLine(e: unknown): string {
  return String(e instanceof Error ? e.message : e).split('\n')[0];
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
const PROCESS_EVENTS: ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];

// The wasm module (Emscripten) installs process handlers that rethrow every unhandled rejection and
// uncaught exception, which turns one stray promise in user code into a dead process (or kernel).
// Remove whatever loading added; the application's own handlers stay.
async function withoutAddedProcessHandlers<T>(f: () => Promise<T>): Promise<T> {
  const listeners = (e: ProcessEvent): Function[] => (e === 'uncaughtException' ? process.listeners(e) : process.listeners(e));
  const before = new Map(PROCESS_EVENTS.map((e) => [e, new Set(listeners(e))]));
  try {
    return await f();
  } finally {
    for (const e of PROCESS_EVENTS) {
      for (const l of listeners(e)) if (!before.get(e)!.has(l)) process.removeListener(e, l as (...args: unknown[]) => void);
    }
  }
}

async function activate(name: BackendName): Promise<string | undefined> {
  return withoutAddedProcessHandlers(async () => {
    const loadError = name === 'tensorflow' ? loadTensorflowBinding() : name === 'wasm' ? loadWasm() : undefined;
    if (loadError) return loadError;
    try {
      const ok = await tf.setBackend(name);
      if (!ok) return `tf.setBackend('${name}') failed`;
    } catch (e) {
      return firstLine(e);
    }
    if (name === 'wasm') registerWasmTrainingKernels();
    if (name === 'cpu') {
      registerFusedAdamW('cpu');
      registerEmbeddingBag('cpu');
      registerFusedGelu('cpu');
      registerFusedDropout('cpu');
      registerFusedLayerNorm('cpu');
    }
    silenceCpuBanner();
    return undefined;
  });
}

// The cpu backend prints a "you are running TensorFlow.js in Node.js, install tfjs-node" banner on first
// use; our own backend report says which backend runs and why, so the banner is only noise in notebooks.
function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

async function choose(): Promise<BackendInfo> {
  const forced = process.env[BACKEND_ENV_VAR]?.trim();
  if (forced) {
    if (!KNOWN.includes(forced as BackendName)) {
      throw new Error(`${BACKEND_ENV_VAR}=${forced} is not a backend: use one of ${KNOWN.join(', ')}`);
    }
    const name = forced as BackendName;
    const err = await activate(name);
    if (err) throw new Error(`${BACKEND_ENV_VAR}=${name} was requested but the backend cannot load: ${err}`);
    return { name, chosenBy: 'env', skipped: [], features: await features(name) };
  }
  const skipped: BackendInfo['skipped'] = [];
  for (const name of KNOWN) {
    const err = await activate(name);
    if (!err) return { name, chosenBy: 'auto', skipped, features: await features(name) };
    skipped.push({ name, reason: err });
  }
  throw new Error(`no tfjs backend could load: ${skipped.map((s) => `${s.name}: ${s.reason}`).join('; ')}`);
}

async function features(name: BackendName): Promise<BackendInfo['features']> {
  if (name !== 'wasm') return {};
  return {
    simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
    threads: Boolean(await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')),
  };
}

let chosen: Promise<BackendInfo> | undefined;
let info: BackendInfo | undefined;

/** Resolves once the backend is active. Every async SDK entry point awaits it; await it yourself before raw tf ops. */
export function ready(): Promise<BackendInfo> {
  if (!chosen) {
    chosen = choose().then((i) => {
      info = i;
      if (process.env.SENTENCE_TFJS_QUIET !== '1') {
        const why = i.chosenBy === 'env' ? `forced by ${BACKEND_ENV_VAR}` : 'auto';
        process.stderr.write(`sentence-tfjs: using the '${i.name}' tfjs backend (${why})\n`);
      }
      return i;
    });
    // A failed choice is reported to whoever awaits ready(); never an unhandled rejection at import.
    chosen.catch(() => undefined);
  }
  return chosen;
}

/** The chosen backend, once ready() has resolved; undefined before. */
export function backendInfo(): BackendInfo | undefined {
  return info;
}

/**
 * Switches to another backend after the first choice (tests run the same code on wasm and cpu;
 * users may compare). Fails clearly when the backend cannot load.
 */
export async function useBackend(name: BackendName): Promise<BackendInfo> {
  await ready().catch(() => undefined);
  const err = await activate(name);
  if (err) throw new Error(`backend '${name}' cannot load: ${err}`);
  info = { name, chosenBy: 'user', skipped: [], features: await features(name) };
  chosen = Promise.resolve(info);
  return info;
}
