/** The control API: each endpoint's effect on the emulator, and clear 400s for bodies it cannot use. */
import { describe, expect } from "vitest";
import type { RunningEmulator } from "../../src/emulator/index.js";
import { it } from "../support/fixtures.js";
import { converseBody, encodedModelPath, HAIKU_3, signedFetch } from "./helpers.js";

async function converseText(emulator: RunningEmulator): Promise<string> {
  const response = await signedFetch(emulator, {
    path: encodedModelPath(HAIKU_3, "converse"),
    body: JSON.stringify(converseBody("Hello")),
  });
  const body = (await response.json()) as { output: { message: { content: { text?: string }[] } } };
  return body.output.message.content.map((block) => block.text ?? "").join("");
}

describe("POST /_emulator/responses", () => {
  it("queues one reply or an array, consumed in order by model calls", async ({ emulator, control }) => {
    await control.send("responses", { text: "first" });
    await control.send("responses", [{ text: "second" }, { text: "third" }]);
    expect([await converseText(emulator), await converseText(emulator), await converseText(emulator)]).toEqual([
      "first",
      "second",
      "third",
    ]);
  });
});

describe("POST /_emulator/guardrails", () => {
  it("stores the definition under id:version", async ({ emulator, control }) => {
    const response = await control.send("guardrails", { id: "g1", version: "1", blockedWords: ["secret"] });
    expect(response.status).toBe(200);
    expect(emulator.state.guardrails.get("g1:1")).toMatchObject({ blockedWords: ["secret"] });
    await control.send("guardrails", { id: "g2", blockedWords: ["x"] });
    expect(emulator.state.guardrails.has("g2:DRAFT")).toBe(true);
  });
});

describe("GET /_emulator/requests", () => {
  it("lists requests without secrets and filters by operation", async ({ emulator, control }) => {
    await converseText(emulator);
    await signedFetch(emulator, {
      path: encodedModelPath(HAIKU_3, "count-tokens"),
      body: JSON.stringify({ input: { converse: converseBody("Hi") } }),
    });
    const all = (await (await control.send("requests")).json()) as { requests: { operation: string }[] };
    expect(all.requests.map((r) => r.operation)).toEqual(["Converse", "CountTokens"]);
    const filtered = (await (await control.send("requests?operation=Converse")).json()) as {
      requests: { operation: string; body: unknown; accessKeyId: string }[];
    };
    expect(filtered.requests).toHaveLength(1);
    expect(filtered.requests[0]).toMatchObject({ accessKeyId: "AKIAIOSFODNN7EXAMPLE", body: converseBody("Hello") });
    expect(JSON.stringify(all)).not.toMatch(/authorization|Signature=|wJalrXUtnFEMI/i);
  });
});

describe("POST /_emulator/reset", () => {
  it("clears scripts, faults, guardrails, tokens and the request log", async ({ emulator, control }) => {
    await control.send("responses", { text: "x" });
    await control.send("faults", { error: "ThrottlingException" });
    await control.send("guardrails", { id: "g", blockedWords: ["w"] });
    await control.send("web-identity/invalid", { token: "a.b.c" });
    await control.send("sso/invalid", { token: "t" });
    expect((await control.send("reset", {})).status).toBe(200);
    const { state } = emulator;
    expect([state.scripted.length, state.faults.length, state.guardrails.size, state.requests.length]).toEqual([
      0, 0, 0, 0,
    ]);
    expect([state.invalidWebIdentityTokens.size, state.invalidSsoTokens.size]).toEqual([0, 0]);
  });
});

describe("validation", () => {
  it.for([
    ["faults", { error: "TeapotException" }, /must be one of ThrottlingException/],
    ["faults", { operation: "Converse" }, /needs an error, a delayMs, or both/],
    ["faults", { error: "ThrottlingException", count: 0 }, /count/],
    ["faults", { error: "ThrottlingException", operation: "Chat" }, /operation/],
    ["faults", { error: "ThrottlingException", colour: "red" }, /colour/],
    ["responses", { txt: "typo" }, /txt/],
    ["responses", { toolCalls: [{ input: {} }] }, /name/],
    ["guardrails", { id: "g" }, /blockedWords/],
    ["web-identity/invalid", {}, /token/],
    ["api-keys", { key: "sk-123" }, /ABSK/],
  ] as const)("POST %s %j is a 400 naming the problem", async ([path, body, message], { control }) => {
    const response = await control.send(path, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toMatch(message);
  });

  it("refuses a body that is not JSON", async ({ emulator }) => {
    const response = await fetch(`${emulator.url}/_emulator/faults`, { method: "POST", body: "{oops" });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: "request body is not valid JSON" });
  });

  it("answers GET /_emulator/health", async ({ control }) => {
    const response = await control.send("health");
    expect(await response.json()).toEqual({ ok: true });
  });

  it("answers 404 for an unknown control endpoint", async ({ control }) => {
    const response = await control.send("teleport", {});
    expect(response.status).toBe(404);
  });
});
