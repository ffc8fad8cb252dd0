// Suggests the known key a misspelt one was probably meant to be: the same letters
// ignoring case, '_' and '-' (startAt -> start_at), else the nearest by edit distance
// (optimal string alignment: a swap of two neighbours counts once), within a small bound.

function normalize(key: string): string {
  return key.toLowerCase().replace(/[_-]/g, '');
}

/** Edits (insert, delete, substitute, swap neighbours) that turn `a` into `b`. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(
        d[(i - 1) * cols + j] + 1,
        d[i * cols + j - 1] + 1,
        d[(i - 1) * cols + j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, d[(i - 2) * cols + j - 2] + 1);
      }
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1];
}

/** The closest of `known` to `key`, or undefined when none is close enough to be a typo. */
export function didYouMean(key: string, known: readonly string[]): string | undefined {
  const wanted = normalize(key);
  const exact = known.find((k) => normalize(k) === wanted);
  if (exact !== undefined) return exact;
  const bound = wanted.length <= 3 ? 1 : wanted.length <= 6 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = bound + 1;
  for (const candidate of known) {
    const distance = editDistance(wanted, normalize(candidate));
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
