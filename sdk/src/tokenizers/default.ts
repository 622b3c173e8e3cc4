// bert-base-uncased's WordPiece tokenizer ships inside the SDK (Apache 2.0, see assets/.../PROVENANCE.md),
// so models can be built with no download.
import { join } from 'node:path';
import { Tokenizer } from './tokenizer';

export const DEFAULT_TOKENIZER_DIR = join(__dirname, '..', '..', 'assets', 'tokenizers', 'bert-base-uncased');

let cached: Tokenizer | undefined;

/** The bundled bert-base-uncased tokenizer (loaded once, shared). */
export function defaultTokenizer(): Tokenizer {
  cached ??= Tokenizer.fromDir(DEFAULT_TOKENIZER_DIR);
  return cached;
}
