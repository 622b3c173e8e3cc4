// What notebook users import from 'sentence-tfjs-kernel': show values richly, update a display in place,
// clear a cell's output. Outside the kernel (plain Node) display() prints the text/plain form instead.
import { randomUUID } from 'node:crypto';
import { jupyterHost, type MimeBundle } from './host';
import { mimeBundleOf, richValue, type RichDisplay } from './display';

export { jupyterHost, JUPYTER_HOST_KEY } from './host';
export type { JupyterHost, MimeBundle, DisplayOptions } from './host';
export { mimeBundleOf, MIMEBUNDLE_SYMBOL } from './display';
export type { RichDisplay } from './display';

/** Shows `value` in the cell's output with every MIME type it has (see mimeBundleOf). */
export function display(value: unknown, options: { displayId?: string } = {}): void {
  show(mimeBundleOf(value), options.displayId, false);
}

/** A display that can be replaced in place: the first update() shows, later ones replace it. */
export interface DisplayHandle {
  readonly displayId: string;
  update(value: unknown): void;
}

export function newDisplay(): DisplayHandle {
  const displayId = randomUUID();
  let shown = false;
  return {
    displayId,
    update(value: unknown): void {
      show(mimeBundleOf(value), displayId, shown);
      shown = true;
    },
  };
}

/** Clears the cell's output; with wait true the front end clears when the next output arrives. */
export function clearOutput(wait = false): void {
  jupyterHost()?.clearOutput(wait);
}

/** HTML to show as the last value of a cell or through display(). */
export function html(source: string): RichDisplay {
  return richValue({ 'text/html': source }, source);
}

/** Markdown to show as the last value of a cell or through display(). */
export function markdown(source: string): RichDisplay {
  return richValue({ 'text/markdown': source }, source);
}

function show(bundle: MimeBundle, displayId: string | undefined, update: boolean): void {
  const host = jupyterHost();
  if (host) host.displayBundle(bundle, { displayId, update });
  else console.log(String(bundle['text/plain']));
}
