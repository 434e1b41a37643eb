/**
 * Exit codes and error printing shared by every command: 0 ok, 1 runtime error, 2 usage or configuration error.
 * An error is printed as one paragraph (what failed, and the AWS request id when Bedrock answered);
 * the stack only with --debug. Messages come from the library, which builds them from redacted values.
 */
import { CommanderError } from "commander";
import { BedrockLLMError, type BedrockLLMErrorCode, ConfigError } from "../errors.js";
import { styleFor } from "./style.js";

export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;
export type ExitCode = typeof EXIT_OK | typeof EXIT_RUNTIME | typeof EXIT_USAGE;

/**
 * Exit code per library error code (docs/ERRORS.md): a configuration the user must fix is a usage error, the rest
 * happened at run time. Typed over every code, so a code added to the error family fails the typecheck until mapped.
 */
export const EXIT_CODE_BY_ERROR_CODE = {
  config: EXIT_USAGE,
  credentials: EXIT_RUNTIME,
  throttling: EXIT_RUNTIME,
  validation: EXIT_RUNTIME,
  access: EXIT_RUNTIME,
  not_found: EXIT_RUNTIME,
  model_not_ready: EXIT_RUNTIME,
  service: EXIT_RUNTIME,
  guardrail: EXIT_RUNTIME,
  timeout: EXIT_RUNTIME,
  aborted: EXIT_RUNTIME,
} as const satisfies Record<BedrockLLMErrorCode, ExitCode>;

/** A mistake in how the command was called (missing prompt, unknown section...): exit code 2. */
export class UsageError extends Error {
  override readonly name = "UsageError";
}

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
  if (error instanceof UsageError) return EXIT_USAGE;
  if (error instanceof BedrockLLMError) return EXIT_CODE_BY_ERROR_CODE[error.code];
  return EXIT_RUNTIME;
}

/** The paragraph printed for an error, without colour. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  let text = error.message.trim() || error.name;
  if (error instanceof ConfigError && error.file && !text.includes(error.file)) {
    const where = error.line ? `${error.file}:${error.line}` : error.file;
    text = `${where}: ${text}`;
  }
  if (error instanceof BedrockLLMError && error.requestId) text += ` (AWS request id: ${error.requestId})`;
  return text;
}

export function printError(error: unknown, options: { debug?: boolean } = {}): void {
  const style = styleFor(process.stderr);
  const label = error instanceof ConfigError ? "configuration error" : "error";
  process.stderr.write(`${style.red(style.bold(`${label}:`))} ${describeError(error)}\n`);
  if (options.debug && error instanceof Error && error.stack) process.stderr.write(`${style.dim(error.stack)}\n`);
  else if (!(error instanceof BedrockLLMError) && !(error instanceof UsageError) && error instanceof Error) {
    process.stderr.write(`${style.dim("(run again with --debug for the stack trace)")}\n`);
  }
}

/** True when --debug was given anywhere on the command line (errors can happen before commander parsed it). */
export function debugRequested(argv: readonly string[] = process.argv): boolean {
  return argv.includes("--debug");
}

/** Runs a command body, turning a thrown error into its printed paragraph and exit code. */
export function runAction<A extends unknown[]>(body: (...args: A) => Promise<void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      await body(...args);
    } catch (error) {
      printError(error, { debug: debugRequested() });
      process.exitCode = exitCodeFor(error);
    }
  };
}
