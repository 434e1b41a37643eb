/**
 * "Did you mean ...?" for a model id missing from the registry. Ids are compared by their short form (no provider,
 * no release date, no version suffix: "claude-sonnet-4-5"), so a misspelt name, a forgotten date or a wrong provider
 * still finds its row. Only ids with the same numbers qualify: "claude-opus-4-9" is a newer model, not a typo of
 * "claude-opus-4-8", and gets no suggestion.
 */
import { MODELS } from "./registry.js";

/** "anthropic.claude-3-5-sonnet-20241022-v2:0" -> "claude-3-5-sonnet". */
function shortForm(id: string): string {
  const dot = id.indexOf(".");
  return id
    .slice(dot + 1)
    .toLowerCase()
    .replace(/-v\d+(?::\d+)?$/, "")
    .replace(/-\d{8}$/, "");
}

const numbersOf = (text: string) => (text.match(/\d+/g) ?? []).join("-");

function editDistance(a: string, b: string): number {
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

/** The registry id closest to `id` (a base id, without a geography prefix), or undefined when none is close. */
export function closestModelId(id: string): string | undefined {
  const wanted = shortForm(id);
  // Within a third of the name in edits (at least 2), fewest edits first.
  let best: { short: string; distance: number } | undefined;
  const byShort = new Map<string, string[]>();
  for (const { id: candidate } of MODELS) {
    const short = shortForm(candidate);
    if (numbersOf(short) !== numbersOf(wanted)) continue;
    byShort.set(short, [...(byShort.get(short) ?? []), candidate]);
    const distance = editDistance(wanted, short);
    if (distance <= Math.max(2, Math.floor(wanted.length / 3)) && (!best || distance < best.distance)) {
      best = { short, distance };
    }
  }
  if (!best) return undefined;
  const ids = byShort.get(best.short) ?? [];
  // Several releases share a short form (Claude 3.5 Sonnet v1 and v2): prefer the one whose date and version match.
  const tail = (full: string) => full.slice(full.indexOf(".") + 1 + shortForm(full).length);
  return ids.find((candidate) => tail(candidate) === tail(id.toLowerCase())) ?? ids[0];
}
