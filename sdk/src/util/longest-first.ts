// encode's batch order, as sentence-transformers sorts texts before batching.

/**
 * Indices of `texts`, longest first and in input order among equal lengths, as sentence-transformers
 * orders encode's batches (similar lengths pad less). A counting sort on the length (one pass to count, one to
 * place) while lengths are at most a few times the number of texts; otherwise one sort of numbers,
 * (longest − length)·n + index, in a Float64Array (no comparator calls).
 */
export function longestFirst(texts: readonly string[]): Int32Array {
  const n = texts.length;
  let longest = 0;
  for (const t of texts) if (t.length > longest) longest = t.length;
  const order = new Int32Array(n);
  if (longest <= 4 * n + 1024) {
    // next[k]: where the next text of length longest − k goes.
    const next = new Int32Array(longest + 2);
    for (let i = 0; i < n; i++) next[longest - texts[i].length + 1]++;
    for (let k = 1; k <= longest; k++) next[k] += next[k - 1];
    for (let i = 0; i < n; i++) order[next[longest - texts[i].length]++] = i;
    return order;
  }
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = (longest - texts[i].length) * n + i;
  keys.sort();
  for (let i = 0; i < n; i++) order[i] = keys[i] % n;
  return order;
}
