// Exit codes: from the table keyed by the library error's code, plus usage and commander errors.
import { CommanderError } from "commander";
import { describe, expect, it } from "vitest";
import { EXIT_CODE_BY_ERROR_CODE, exitCodeFor, UsageError } from "../../src/cli/exit.js";
import { ConfigError, CredentialsError, ERROR_CODES, ThrottlingError } from "../../src/errors.js";

describe("exit codes", () => {
  it("maps every library error code: configuration is a usage error (2), the rest runtime errors (1)", () => {
    expect(Object.keys(EXIT_CODE_BY_ERROR_CODE).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) expect(EXIT_CODE_BY_ERROR_CODE[code]).toBe(code === "config" ? 2 : 1);
    expect(exitCodeFor(new ConfigError("bad"))).toBe(2);
    expect(exitCodeFor(new CredentialsError("refused"))).toBe(1);
    expect(exitCodeFor(new ThrottlingError("slow"))).toBe(1);
  });

  it("usage mistakes exit 2, --help 0, anything else 1", () => {
    expect(exitCodeFor(new UsageError("missing prompt"))).toBe(2);
    expect(exitCodeFor(new CommanderError(1, "commander.unknownOption", "unknown option"))).toBe(2);
    expect(exitCodeFor(new CommanderError(0, "commander.helpDisplayed", "(help)"))).toBe(0);
    expect(exitCodeFor(new Error("bug"))).toBe(1);
  });
});
