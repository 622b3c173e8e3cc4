// Tiny HTML helpers shared by the renderers.

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** Positions to show out of n when at most `max` fit: the first and last halves, and where the gap is. */
export function truncatedPositions(n: number, max: number): { positions: number[]; gapAfter: number } {
  if (n <= max) return { positions: Array.from({ length: n }, (_, i) => i), gapAfter: -1 };
  const head = Math.ceil(max / 2);
  const tail = Math.floor(max / 2);
  const positions = [...Array.from({ length: head }, (_, i) => i), ...Array.from({ length: tail }, (_, i) => n - tail + i)];
  return { positions, gapAfter: head - 1 };
}
