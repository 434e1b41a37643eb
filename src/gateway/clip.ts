/**
 * A client-chosen string (a model name) quoted back in an error or written to a log: never at length, so a 900 KB
 * `model` makes neither a 900 KB answer nor a 900 KB log line.
 */
export const MAX_ECHOED_CHARS = 100;

export function clip(text: string, max = MAX_ECHOED_CHARS): string {
  return text.length > max ? `${text.slice(0, max)}...` : text;
}
