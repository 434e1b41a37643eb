/** "Did you mean ...?" for misspelt keys: the closest known key by edit distance, if it is close enough. */

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] as number;
}

/** True when `unknown` looks like a shortened or reordered spelling of `candidate` ("max_tokens" -> "max_output_tokens"). */
function resembles(unknown: string, candidate: string): boolean {
  if (unknown.length >= 4 && candidate.includes(unknown)) return true;
  const words = unknown.split(/[_\-.]/).filter((word) => word.length > 0);
  const candidateWords = new Set(candidate.split(/[_\-.]/));
  return words.length >= 2 && words.every((word) => candidateWords.has(word));
}

/**
 * The known key nearest to `unknown`: within a third of its length in edits (at least 2), or one it abbreviates;
 * the fewest edits wins. Undefined when nothing is close.
 */
export function closestKey(unknown: string, known: Iterable<string>): string | undefined {
  const needle = unknown.toLowerCase();
  const allowed = Math.max(2, Math.floor(needle.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const lowered = candidate.toLowerCase();
    const distance = levenshtein(needle, lowered);
    if (distance > allowed && !resembles(needle, lowered)) continue;
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** "did you mean X?", or the list of valid keys when nothing is close. */
export function suggestionFor(unknown: string, known: readonly string[]): string {
  const closest = closestKey(unknown, known);
  return closest ? `did you mean ${closest}?` : `known keys are: ${known.join(", ")}`;
}
