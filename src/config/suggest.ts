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

/** The known key nearest to `unknown`, when within a third of its length (at least 2 edits); else undefined. */
export function closestKey(unknown: string, known: Iterable<string>): string | undefined {
  const needle = unknown.toLowerCase();
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const distance = levenshtein(needle, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  const allowed = Math.max(2, Math.floor(unknown.length / 3));
  return bestDistance <= allowed ? best : undefined;
}

/** " (did you mean X?)"-style suffix, or a list of valid keys when nothing is close. */
export function suggestionFor(unknown: string, known: readonly string[]): string {
  const closest = closestKey(unknown, known);
  return closest ? `did you mean ${closest}?` : `known keys are: ${known.join(", ")}`;
}
