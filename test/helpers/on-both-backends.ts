// Runs the same tensor code on wasm and on cpu (the reference), returning both results; ends on wasm.
import { useBackend } from '../../sdk/src/backend';

export async function onBoth<T>(f: () => Promise<T>): Promise<{ wasm: T; cpu: T }> {
  await useBackend('wasm');
  const wasm = await f();
  await useBackend('cpu');
  const cpu = await f();
  await useBackend('wasm');
  return { wasm, cpu };
}
