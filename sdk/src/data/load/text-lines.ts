// Plain text: one sentence per line, in a single column named `text` (e.g. wiki1m_for_simcse.txt).
// Blank lines are skipped.
import type { Table } from './table';

export function parseTextLines(text: string): Table {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const lines = src.split(/\r?\n/).filter((l) => l.trim() !== '');
  return { names: ['text'], columns: [lines] };
}
