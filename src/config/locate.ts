/**
 * Builds ConfigErrors that point at the offending setting: "FILE:LINE: llm.sso.temperature = 1.5 is out of range: ..."
 * for file values, "environment variable LLM_TEMPERATURE: ..." for environment values.
 */
import { ConfigError } from "../errors.js";
import { KeyPositions } from "./positions.js";

export interface Origin {
  /** Path of the file, when there is one. */
  file?: string;
  /** The file's text, to find lines in. */
  text?: string;
}

export class Locator {
  /** Parsed on the first error only: a valid file is never parsed twice. */
  private positions: KeyPositions | undefined;

  constructor(private readonly origin: Origin) {}

  get file(): string | undefined {
    return this.origin.file;
  }

  lineOf(path: readonly string[]): number | undefined {
    if (this.origin.text === undefined) return undefined;
    this.positions ??= new KeyPositions(this.origin.text);
    return this.positions.locate(path);
  }

  /**
   * An error about the setting at `path` (e.g. ["llm", "sso", "temperature"]) as written in the file.
   * `key` names the setting when `path` points elsewhere (a missing key is reported at its section's header).
   */
  inFile(path: readonly string[], message: string, key: string = path.join(".")): ConfigError {
    const line = this.lineOf(path);
    const where = this.origin.file === undefined ? "" : `${this.origin.file}${line === undefined ? "" : `:${line}`}: `;
    return new ConfigError(`${where}${message}`, {
      file: this.origin.file,
      line,
      key,
    });
  }

  /** An error about the file as a whole. */
  inWholeFile(message: string): ConfigError {
    return new ConfigError(`${this.origin.file === undefined ? "" : `${this.origin.file}: `}${message}`, {
      file: this.origin.file,
    });
  }

  /** An error about a value that came from an environment variable. */
  inEnv(variable: string, key: string, message: string): ConfigError {
    const where = this.origin.file === undefined ? "" : ` (loading ${this.origin.file})`;
    return new ConfigError(`environment variable ${variable}${where}: ${message}`, { file: this.origin.file, key });
  }
}
