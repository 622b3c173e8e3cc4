// Gives SentenceTransformer.encode its progress bar (the model core exposes a hook so that it does not
// depend on the display code).
import { setEncodeProgressFactory } from '../sentence-transformer';
import { ProgressBar } from './progress-bar';

export function registerEncodeProgress(): void {
  setEncodeProgressFactory((total, description, enabled) => new ProgressBar({ total, description, showProgressBar: enabled }));
}
