/**
 * Terminal styling: colours only when the stream is a TTY and NO_COLOR is unset (https://no-color.org),
 * so piped output and logs stay plain text.
 */
import type { WriteStream } from "node:tty";

type Stream = NodeJS.WritableStream & Partial<Pick<WriteStream, "isTTY">>;

export function colorEnabled(stream: Stream, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && (env.NO_COLOR === undefined || env.NO_COLOR === "");
}

export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

const wrap = (on: boolean, open: number, close: number) => (text: string) =>
  on ? `\u001b[${open}m${text}\u001b[${close}m` : text;

export function styleFor(stream: Stream): Style {
  const on = colorEnabled(stream);
  return {
    bold: wrap(on, 1, 22),
    dim: wrap(on, 2, 22),
    red: wrap(on, 31, 39),
    green: wrap(on, 32, 39),
    yellow: wrap(on, 33, 39),
    cyan: wrap(on, 36, 39),
  };
}
