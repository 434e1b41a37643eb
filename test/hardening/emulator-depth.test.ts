// The emulator refuses bodies nested past 1000 levels with a ValidationException (its documented choice; Bedrock
// publishes no depth limit) instead of overflowing its stack and answering 500.
import { afterAll, beforeAll, expect, it } from "vitest";
import { BUILTIN_BEDROCK_API_KEY, type RunningEmulator, startEmulator } from "../../src/emulator/index.js";

let emu: RunningEmulator;
beforeAll(async () => {
  emu = await startEmulator({ host: "127.0.0.1", port: 0 });
});
afterAll(async () => {
  await emu?.close();
});

const post = (op: string, body: string) =>
  fetch(`${emu.url}/model/us.anthropic.claude-sonnet-4-5-20250929-v1:0/${op}`, {
    method: "POST",
    headers: { authorization: `Bearer ${BUILTIN_BEDROCK_API_KEY}`, "content-type": "application/json" },
    body,
  });

it("deep tool schemas: 200 at a few hundred levels, 400 ValidationException past 1000, never 500", async () => {
  for (const depth of [200, 3000, 50_000]) {
    const schema = `${'{"type":"object","properties":{"a":'.repeat(depth)}{"type":"string"}${"}}".repeat(depth)}`;
    const converse = `{"messages":[{"role":"user","content":[{"text":"hi"}]}],"toolConfig":{"tools":[{"toolSpec":{"name":"f","inputSchema":{"json":${schema}}}}]}}`;
    const invoke = `{"anthropic_version":"bedrock-2023-05-31","max_tokens":10,"messages":[{"role":"user","content":"hi"}],"tools":[{"name":"f","input_schema":${schema}}]}`;
    for (const [op, body] of [
      ["converse", converse],
      ["invoke", invoke],
    ] as const) {
      const res = await post(op, body);
      const answer = (await res.json()) as { message?: string };
      if (depth * 2 <= 1000) expect(res.status, `${op} ${depth}`).toBe(200);
      else {
        expect(res.status, `${op} ${depth}`).toBe(400);
        expect(res.headers.get("x-amzn-errortype")).toMatch(/^ValidationException/);
        expect(answer.message).toContain("nesting depth exceeds the maximum of 1000");
      }
    }
  }
});
