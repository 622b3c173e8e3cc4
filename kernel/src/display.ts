// What a value looks like in a notebook: the MIME bundle for execute_result and display().
//   1. value[Symbol.for('jupyter.mimebundle')]() or value.toMimeBundle(): every MIME type it returns
//   2. danfo DataFrame / Series: text/html table + text/plain
//   3. tf.Tensor: text/plain with dtype, shape and a preview
//   4. anything else: text/plain from util.inspect (strings quoted, as the Node REPL shows them)
// text/plain is always present, as front ends need a fallback.
import { inspect } from 'node:util';
import type { MimeBundle } from './host';
import { dataFrameHtml, dataFrameText, isDanfoFrame } from './render/dataframe';
import { isTensor, tensorText } from './render/tensor';

export const MIMEBUNDLE_SYMBOL: unique symbol = Symbol.for('jupyter.mimebundle');

/** An object that shows itself with several MIME types. */
export interface RichDisplay {
  [MIMEBUNDLE_SYMBOL](): MimeBundle;
}

export function plainText(value: unknown): string {
  return inspect(value, { depth: 3, maxArrayLength: 100, breakLength: 100 });
}

export function mimeBundleOf(value: unknown): MimeBundle {
  const own = ownBundle(value);
  if (own) return 'text/plain' in own ? own : { ...own, 'text/plain': plainText(value) };
  if (isDanfoFrame(value)) return { 'text/html': dataFrameHtml(value), 'text/plain': dataFrameText(value) };
  if (isTensor(value)) return { 'text/plain': tensorText(value) };
  return { 'text/plain': plainText(value) };
}

function ownBundle(value: unknown): MimeBundle | undefined {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return undefined;
  const v = value as { [MIMEBUNDLE_SYMBOL]?: unknown; toMimeBundle?: unknown };
  const method = typeof v[MIMEBUNDLE_SYMBOL] === 'function' ? v[MIMEBUNDLE_SYMBOL] : typeof v.toMimeBundle === 'function' ? v.toMimeBundle : undefined;
  if (!method) return undefined;
  const bundle = (method as () => unknown).call(value);
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) {
    throw new TypeError(`the mime bundle method of ${plainText(value).slice(0, 80)} returned ${plainText(bundle)}, expected an object of MIME type → data`);
  }
  return bundle as MimeBundle;
}

/** A value that displays as the given bundle (text/plain defaults to `plain`). */
export function richValue(bundle: MimeBundle, plain: string): RichDisplay {
  return { [MIMEBUNDLE_SYMBOL]: () => ({ 'text/plain': plain, ...bundle }) };
}
