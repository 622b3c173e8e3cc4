// Long loops (encode's batches) return to the event loop now and then, so the kernel can send progress
// updates and notice interrupts. Every batch was too often for fast models: each turn costs the loop's
// phases and whatever V8 tasks it lets run, 3-5 ms in a 25 ms StaticEmbedding encode of 64 batches
// (bench/README.md, item 18). Once per `intervalMs` keeps a bar smooth at a fraction of that.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** A function to await after each unit of work: it yields to the event loop once `intervalMs` has passed. */
export function periodicYield(intervalMs = 20): () => Promise<void> {
  let last = performance.now();
  return async () => {
    const now = performance.now();
    if (now - last < intervalMs) return;
    await nextTurn();
    last = performance.now();
  };
}
