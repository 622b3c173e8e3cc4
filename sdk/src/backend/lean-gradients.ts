// tf.variableGrads with a smaller memory peak. tfjs's backward pass (engine.gradients →
// backpropagateGradients) keeps every node's saved forward tensors and the gradient of every intermediate
// tensor until the whole pass ends, so the backward peak is about twice the forward activations: a MiniLM
// training step at batch 32 × seq 64 runs past the 4 GiB wasm heap. This is the same algorithm over the
// same tape, except that a node's saved tensors, its outputs' gradients and the temporaries of its
// gradient function are freed as soon as the node's gradient has been computed. Gradients are identical
// (same kernels, same order of accumulation).
// It reads tfjs-core's tape through the engine (state.activeTape, startTape/endTape): if a tfjs release
// changes those internals, leanVariableGrads falls back to tf.variableGrads.
import * as tf from '@tensorflow/tfjs';

interface TapeNode {
  id: number;
  kernelName: string;
  inputs: Record<string, tf.Tensor>;
  outputs: tf.Tensor[];
  saved?: tf.Tensor[];
  gradient?: (dys: (tf.Tensor | null)[]) => Record<string, () => tf.Tensor>;
}

interface EngineInternals {
  state: { activeTape: TapeNode[] | null; gradientDepth: number };
  scopedRun<T>(start: () => void, end: () => void, f: () => T): T;
  startTape(): void;
  endTape(): void;
}

function engineInternals(): EngineInternals | undefined {
  const e = tf.engine() as unknown as Partial<EngineInternals>;
  const ok = typeof e.scopedRun === 'function' && typeof e.startTape === 'function' && typeof e.endTape === 'function' && typeof e.state?.gradientDepth === 'number';
  return ok ? (e as EngineInternals) : undefined;
}

/** The nodes on a path from xs to y, with inputs pruned to those reached from xs (tfjs's getFilteredNodesXToY). */
function nodesFromXToY(tape: TapeNode[], xs: tf.Tensor[], y: tf.Tensor): TapeNode[] {
  const fromX = new Set(xs.map((x) => x.id));
  const nodesFromX = new Set<number>();
  for (const node of tape) {
    if (Object.values(node.inputs).some((input) => fromX.has(input.id))) {
      node.outputs.forEach((o) => fromX.add(o.id));
      nodesFromX.add(node.id);
    }
  }
  const toY = new Set([y.id]);
  const nodesToY = new Set<number>();
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (node.outputs.some((o) => toY.has(o.id))) {
      Object.values(node.inputs).forEach((input) => toY.add(input.id));
      nodesToY.add(node.id);
    }
  }
  return tape
    .filter((node) => nodesFromX.has(node.id) && nodesToY.has(node.id))
    .map((node) => ({ ...node, inputs: Object.fromEntries(Object.entries(node.inputs).filter(([, t]) => fromX.has(t.id))) }));
}

function backpropagate(grads: Map<number, tf.Tensor>, tape: TapeNode[]): void {
  for (let i = tape.length - 1; i >= 0; i--) {
    const node = tape[i];
    if (!node.gradient) throw new Error(`Cannot compute gradient: gradient function not found for ${node.kernelName}.`);
    const gradient = node.gradient;
    // One scope for the whole node: several tfjs gradients (Softmax, ...) compute a shared temporary
    // eagerly, outside their per-input closures, which tfjs would keep until the backward pass ends.
    const dxs = tf.tidy(() => {
      const inputGradients = gradient(node.outputs.map((o) => grads.get(o.id) ?? null));
      const out: tf.NamedTensorMap = {};
      for (const name of Object.keys(node.inputs)) {
        if (!(name in inputGradients)) throw new Error(`Cannot backprop through input ${name}. Available gradients found: ${Object.keys(inputGradients)}.`);
        out[name] = inputGradients[name]();
      }
      return out;
    });
    const assigned = new Set<tf.Tensor>();
    for (const [name, x] of Object.entries(node.inputs)) {
      const dx = dxs[name];
      if (dx.dtype !== 'float32') throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input ${name} must have 'float32' dtype, but has '${dx.dtype}'`);
      if (!tf.util.arraysEqual(dx.shape, x.shape)) throw new Error(`Error in gradient for op ${node.kernelName}. The gradient of input '${name}' has shape '${dx.shape}', which does not match the shape of the input '${x.shape}'`);
      const current = grads.get(x.id);
      const next = current ? tf.add(current, dx) : dx;
      if (current) {
        current.dispose();
        if (next !== dx) dx.dispose();
      }
      grads.set(x.id, next);
      assigned.add(next);
    }
    // The lean part: this node's outputs are fully accumulated and consumed, its saved tensors used.
    for (const o of node.outputs) {
      const g = grads.get(o.id);
      grads.delete(o.id);
      if (g && !assigned.has(g)) g.dispose();
    }
    node.saved?.forEach((t) => t.dispose());
  }
}

/** tf.variableGrads(f, varList), freeing the backward pass's intermediates as it goes (see the header). */
export function leanVariableGrads(f: () => tf.Scalar, varList: tf.Variable[]): { value: tf.Scalar; grads: tf.NamedTensorMap } {
  const engine = engineInternals();
  if (!engine || engine.state.gradientDepth > 0) return tf.variableGrads(f, varList);
  const xs = varList.filter((v) => v.trainable);
  if (xs.length === 0) throw new Error(`leanVariableGrads expects at least one trainable variable; got ${varList.length} variables, none trainable`);
  const y = engine.scopedRun(
    () => engine.startTape(),
    () => engine.endTape(),
    () => tf.tidy(f),
  );
  if (!(y instanceof tf.Tensor) || y.rank !== 0) throw new Error(`The f passed to leanVariableGrads must return a scalar tensor; got ${y instanceof tf.Tensor ? `rank ${y.rank}` : typeof y}`);
  const tape = engine.state.activeTape;
  if (!Array.isArray(tape)) throw new Error('leanVariableGrads: the tfjs engine recorded no tape (its internals changed?)');
  const filtered = nodesFromXToY(tape, xs, y);
  const named = tf.tidy(() => {
    const map = new Map<number, tf.Tensor>([[y.id, tf.onesLike(y)]]);
    try {
      backpropagate(map, filtered);
    } finally {
      tape.forEach((node) => node.saved?.forEach((t) => t.dispose()));
      engine.state.activeTape = null;
    }
    const out: tf.NamedTensorMap = {};
    for (const x of xs) {
      const g = map.get(x.id);
      if (g) out[x.name] = g;
    }
    return out;
  });
  if (Object.keys(named).length === 0) {
    throw new Error('Cannot find a connection between any variable and the result of the loss function y=f(x). Please make sure the operations that use variables are inside the function f passed to leanVariableGrads().');
  }
  return { value: y as tf.Scalar, grads: named };
}
