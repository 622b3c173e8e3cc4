// The contract between this kernel and code running in its cells (the sentence-tfjs SDK above all).
//
// The kernel puts one object on globalThis under Symbol.for('sentence-tfjs.jupyter-host') before it runs
// the first cell; outside the kernel the key is absent, so libraries look it up each time and fall back
// (a terminal progress bar, no interrupts). Outputs go to the cell being executed (its parent header);
// output produced after its cell ended goes to the latest cell, except display updates, which always
// replace the display with their id wherever it is.
//
//   displayBundle(bundle, { displayId, update })
//     Shows a MIME bundle ({ 'text/plain': ..., 'text/html': ..., 'application/vnd.plotly.v1+json': {...} }).
//     Without displayId it is a plain display_data. With a displayId, update false shows a new display
//     carrying that id and update true replaces every display with that id (update_display_data): the
//     SDK's progress bars are one display updated in place.
//   clearOutput(wait)
//     clear_output for the cell; with wait true the front end clears when the next output arrives.
//   onInterrupt(cb)
//     cb runs when the user interrupts the kernel (interrupt_request or SIGINT). The kernel answers the
//     interrupted cell at once with a KeyboardInterrupt error and abandons its pending promise; a
//     long-running task should stop at its next step (Trainer.train() does) so the next cell finds the
//     model consistent. The kernel waits for such a task to finish before it runs the next cell.
//     Returns the function that unsubscribes; call it when the task ends.

/** A Jupyter MIME bundle: MIME type → data (a string, or a JSON value for JSON MIME types). */
export type MimeBundle = Record<string, unknown>;

export interface DisplayOptions {
  /** Id of the display to create (update false) or replace (update true). */
  displayId?: string;
  /** True to replace the displays that carry displayId instead of adding a new one. */
  update?: boolean;
}

export interface JupyterHost {
  displayBundle(bundle: MimeBundle, options?: DisplayOptions): void;
  clearOutput(wait?: boolean): void;
  onInterrupt(cb: () => void): () => void;
}

export const JUPYTER_HOST_KEY: unique symbol = Symbol.for('sentence-tfjs.jupyter-host');

/** The running kernel's host, or undefined outside the kernel. */
export function jupyterHost(): JupyterHost | undefined {
  const host = (globalThis as Record<symbol, unknown>)[JUPYTER_HOST_KEY] as Partial<JupyterHost> | undefined;
  return host && typeof host.displayBundle === 'function' ? (host as JupyterHost) : undefined;
}

export function installJupyterHost(host: JupyterHost | undefined): void {
  (globalThis as Record<symbol, unknown>)[JUPYTER_HOST_KEY] = host;
}
