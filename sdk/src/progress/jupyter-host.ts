// The contract between the SDK and the sentence-tfjs Jupyter kernel: while a notebook cell runs, the kernel
// puts this object on globalThis under a registered symbol. Code here only looks it up; outside the kernel
// it is absent and every user of it falls back (terminal bar, no interrupts).

/** A Jupyter MIME bundle: 'text/plain', 'text/html', 'application/vnd.plotly.v1+json', ... */
export type MimeBundle = Record<string, unknown>;

export interface JupyterHost {
  /** Shows a bundle; with update true, replaces the display that has this displayId (update_display_data). */
  displayBundle(bundle: MimeBundle, options: { displayId: string; update: boolean }): void;
  clearOutput(wait?: boolean): void;
  /** Calls cb when the user interrupts the kernel; returns the function that unsubscribes. */
  onInterrupt(cb: () => void): () => void;
}

export const JUPYTER_HOST_KEY: unique symbol = Symbol.for('sentence-tfjs.jupyter-host');

/** The kernel's host object, or undefined outside the kernel (or if the object is not a host). */
export function jupyterHost(): JupyterHost | undefined {
  const h = (globalThis as Record<symbol, unknown>)[JUPYTER_HOST_KEY] as Partial<JupyterHost> | undefined;
  return h && typeof h.displayBundle === 'function' ? (h as JupyterHost) : undefined;
}

/**
 * Calls cb when the kernel is interrupted (the Trainer stops cleanly at the next step). Returns the
 * unsubscribe function; outside the kernel nothing can interrupt, so it is a no-op.
 */
export function onKernelInterrupt(cb: () => void): () => void {
  const host = jupyterHost();
  if (!host || typeof host.onInterrupt !== 'function') return () => {};
  return host.onInterrupt(cb);
}
