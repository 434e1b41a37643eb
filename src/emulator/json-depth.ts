/**
 * How deep a request body nests, found in one pass over its text (no recursion). Bedrock's documented limits say
 * nothing about depth; the emulator's choice is to refuse past 1000 levels (the default nesting limit of Jackson,
 * the JSON parser of AWS's Java services) with a ValidationException, instead of overflowing its own stack on a
 * tool schema nested thousands of levels deep and answering 500.
 */
export const MAX_BODY_DEPTH = 1000;

export function nestsDeeperThan(text: string, limit: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > limit) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}
