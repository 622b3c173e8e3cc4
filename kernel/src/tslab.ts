// The parts of tslab this kernel builds on: its TypeScript converter (type checking, top-level await,
// last-expression capture, cross-cell declarations), completion, inspection and is-complete check, and
// the TypeScript build it ships (loaded from tslab's own location so both always agree).
import { createRequire } from 'node:module';
import type * as TS from '@tslab/typescript-for-tslab';

export { createConverter, isCompleteCode } from 'tslab/dist/converter';
export type { Converter, Diagnostic, CompletionInfo } from 'tslab/dist/converter';
export { getCodeMetadata } from 'tslab/dist/metadata';
export { printQuickInfo } from 'tslab/dist/inspect';

export const ts: typeof TS = createRequire(require.resolve('tslab/package.json'))('@tslab/typescript-for-tslab');
export type { TS };
