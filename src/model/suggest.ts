// "Did you mean" for unknown keys, features and ids: the closest candidate
// within a small edit distance, or nothing (a far-fetched guess misleads).
import leven from 'leven';

export function closest(word: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      best = c;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}

/** `' (did you mean "x"?)'` or `''`. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const c = closest(word, candidates);
  return c === undefined ? '' : ` (did you mean "${c}"?)`;
}

/** Edit distance, except that a dropped suffix or prefix (`memory` for `memory_mb`) counts as one edit. */
function distance(a: string, b: string): number {
  if (Math.min(a.length, b.length) >= 4 && a !== b && (a.startsWith(b) || b.startsWith(a)))
    return 1;
  return leven(a, b);
}
