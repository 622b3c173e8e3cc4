// tf.Tensor / tf.Variable: dtype, shape and tfjs's own preview (it elides the middle of large tensors).
// Detected by shape so the kernel does not depend on a particular tfjs copy.

export interface TensorLike {
  dtype: string;
  shape: number[];
  isDisposed: boolean;
  toString(verbose?: boolean): string;
  dataSync(): unknown;
}

export function isTensor(v: unknown): v is TensorLike {
  if (typeof v !== 'object' || v === null) return false;
  const t = v as Partial<TensorLike>;
  return typeof t.dtype === 'string' && Array.isArray(t.shape) && typeof t.dataSync === 'function' && typeof t.isDisposed === 'boolean';
}

export function tensorText(t: TensorLike): string {
  const head = `Tensor ${t.dtype} [${t.shape.join(', ')}]`;
  if (t.isDisposed) return `${head} (disposed)`;
  // tfjs prints "Tensor\n    <values>": keep the values, without tfjs's indentation.
  const values = t.toString().split('\n').slice(1).map((line) => line.replace(/^ {4}/, ''));
  return [head, ...values].join('\n');
}
