// Errors a user meets on the command line: a busy port, and a reply that breaks mid-stream.
import { createServer, type Server } from "node:net";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { it, runCli } from "./run-cli.js";

describe("a port already in use", () => {
  let busy: Server;
  let port: number;
  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, "127.0.0.1", resolve));
    port = (busy.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => busy.close(() => resolve())));

  it("emulator: says so with the fix, no raw EADDRINUSE, exit 2", async () => {
    const r = await runCli(["emulator", "--port", String(port)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(r.stderr).toContain("--port 0 for any free port");
    expect(r.stderr).not.toContain("EADDRINUSE");
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });

  it("serve: the same, naming [server] port too", async ({ configFile }) => {
    const r = await runCli(["serve", "-c", configFile, "--port", String(port)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(r.stderr).toContain("[server] port");
    expect(r.stderr).not.toContain("EADDRINUSE");
  });
});

describe("a reply that breaks mid-stream", () => {
  it("chat: the partial reply's line is ended, so the error starts its own line; exit 1", async ({
    configFile,
    control,
  }) => {
    await control.respond({ text: "one two three four five six seven eight nine ten" });
    await control.fault({
      operation: "ConverseStream",
      error: "ServiceUnavailableException",
      count: 1,
      afterEvents: 4,
    });
    const r = await runCli(["chat", "-c", configFile, "Count"]);
    expect(r.code).toBe(1);
    expect(r.stdout.length).toBeGreaterThan(1); // part of the reply arrived...
    expect(r.stdout).toMatch(/^one two.*\n$/); // ...and its line was ended
    expect(r.stderr).toMatch(/^error: /m);
  });
});
