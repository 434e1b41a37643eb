// The runnable programs in examples/ keep working: each runs as a process against its own in-process emulator.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const run = promisify(execFile);
const root = fileURLToPath(new URL("..", import.meta.url));

describe("examples", () => {
  it("agent-with-tools.mjs runs a tool loop to its answer and prints usage", async () => {
    const { stdout } = await run(process.execPath, ["examples/agent-with-tools.mjs"], {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    });
    expect(stdout).toContain('tool get_weather({"city":"Lisbon"})');
    expect(stdout).toContain("assistant: It is 21 °C and sunny in Lisbon");
    expect(stdout).toMatch(/\d+ tokens in, \d+ out, \$\d+\.\d{6}/);
  });

  it("document-citations.mjs asks about a document and prints the answer with its citations", async () => {
    const { stdout } = await run(process.execPath, ["examples/document-citations.mjs"], {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" },
    });
    expect(stdout).toMatch(/^question: \d+ input tokens \(bedrock\)$/m);
    expect(stdout).toContain("answer: Echo: How long do I have to return an order?");
    expect(stdout).toContain(
      'cited "Returns are accepted within 30 days of delivery, with the receipt." from returns-policy: "Returns are accepted within 30 days of delivery, with the receipt."',
    );
    expect(stdout).toMatch(/\d+ tokens in, \d+ out, \$\d+\.\d{6}/);
  });
});
