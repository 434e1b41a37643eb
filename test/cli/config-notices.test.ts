// Notices from loading the configuration reach the user on stderr, and never carry a secret.
import { describe, expect } from "vitest";
import { it, runCli } from "./run-cli.js";

describe("configuration notices", () => {
  it("check names AWS_* credential variables the file overrides, on stderr, and still succeeds", async ({
    configFile,
  }) => {
    const secret = "envSecretEXAMPLEvalue0123456789abcdefgh";
    const r = await runCli(["check", "-c", configFile], {
      env: { AWS_PROFILE: "dev", AWS_SECRET_ACCESS_KEY: secret },
    });
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(
      /^notice: environment variables AWS_SECRET_ACCESS_KEY, AWS_PROFILE are ignored by \[llm\], \[llm\.haiku\]: credentials come from aws_access_key_id/m,
    );
    expect(r.stdout).toContain("static-keys");
    expect(r.stdout + r.stderr).not.toContain(secret);
  });
});
