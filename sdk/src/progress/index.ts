// Progress display (kernel or terminal) and the kernel host contract.
import { registerEncodeProgress } from './encode-progress';

export { ProgressBar } from './progress-bar';
export type { ProgressBarOptions, ProgressMode, ProgressStream } from './progress-bar';
export { onKernelInterrupt, jupyterHost, JUPYTER_HOST_KEY } from './jupyter-host';
export type { JupyterHost, MimeBundle } from './jupyter-host';
export { registerEncodeProgress };

// Importing the SDK gives encode its bar.
registerEncodeProgress();
