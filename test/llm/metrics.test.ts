/** Metrics (cost, tokens by kind, latency, time to first token) and log_completions files. */
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { describe, expect } from "vitest";
import { BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { collect, it } from "./emulator.js";
import { filler, HAIKU_3, SONNET_45 } from "./helpers.js";

const ASK = { messages: [{ role: "user" as const, content: "how much does this cost" }] };

describe("metrics", () => {
  it("prices calls from the registry (USD per 1M tokens) and records latency and time to first token", async ({
    llmFor,
  }) => {
    const llm = llmFor(HAIKU_3);
    const response = await llm.completion(ASK);
    const streamed = await collect(llm.stream(ASK));
    const expected = (u: { prompt_tokens: number; completion_tokens: number }) =>
      (u.prompt_tokens * 0.25 + u.completion_tokens * 1.25) / 1e6;
    expect(response.cost).toBeCloseTo(expected(response.usage), 12);
    // No floating-point tail such as 0.0000035000000000000004 in what callers print or serialise.
    expect(String(response.cost)).not.toMatch(/0{6,}[1-9]\d?$/);
    const metrics = llm.metrics;
    expect(metrics.calls).toHaveLength(2);
    expect(metrics.accumulated_cost).toBeCloseTo((response.cost ?? 0) + (streamed.last?.cost ?? 0), 12);
    expect(metrics.prompt_tokens).toBe(response.usage.prompt_tokens + (streamed.last?.usage?.prompt_tokens ?? 0));
    expect(metrics.calls[0]?.latencyMs).toBeGreaterThan(0);
    expect(metrics.calls[0]?.timeToFirstTokenMs).toBeUndefined();
    expect(metrics.calls[1]?.timeToFirstTokenMs).toBeGreaterThan(0);
  });

  it("prices cache reads and writes as such, and honours configured per-token prices", async ({ llmFor }) => {
    const prices = {
      input_cost_per_token: 1e-6,
      output_cost_per_token: 2e-6,
      cache_read_cost_per_token: 1e-7,
      cache_write_cost_per_token: 3e-6,
    };
    const llm = llmFor(SONNET_45, { caching_prompt: true, ...prices });
    const messages = [
      { role: "system" as const, content: filler(12_000) },
      { role: "user" as const, content: "first question" },
    ];
    const first = await llm.completion({ messages });
    const second = await llm.completion({
      messages: [...messages, { role: "assistant", content: "answer" }, { role: "user", content: "next" }],
    });
    expect(first.usage.prompt_tokens_details.cache_write_tokens).toBeGreaterThan(0);
    expect(second.usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(0);
    for (const { usage, cost } of [first, second]) {
      const { cached_tokens: read, cache_write_tokens: write } = usage.prompt_tokens_details;
      const plain = usage.prompt_tokens - read - write;
      expect(cost).toBeCloseTo(plain * 1e-6 + usage.completion_tokens * 2e-6 + read * 1e-7 + write * 3e-6, 12);
    }
    expect(llm.metrics.cache_read_tokens).toBe(second.usage.prompt_tokens_details.cached_tokens);
    expect(llm.metrics.cache_write_tokens).toBe(
      first.usage.prompt_tokens_details.cache_write_tokens + second.usage.prompt_tokens_details.cache_write_tokens,
    );
  });

  it("prices cache writes by the TTL sent: 1-hour writes at 2x input, 5-minute writes at 1.25x (registry prices)", async ({
    llmFor,
    control,
  }) => {
    // Claude Sonnet 4.5 list prices per 1M tokens: input $3, output $15, cache read $0.30.
    const messages = [
      { role: "system" as const, content: filler(12_000) },
      { role: "user" as const, content: "price my cache write" },
    ];
    for (const [ttl, writePerMillion] of [
      ["1h", 6],
      ["5m", 3.75],
    ] as const) {
      await control.reset();
      const { usage, cost } = await llmFor(SONNET_45, { caching_prompt: true, cache_ttl: ttl }).completion({
        messages,
      });
      const { cached_tokens: read, cache_write_tokens: write } = usage.prompt_tokens_details;
      expect(write).toBeGreaterThan(0);
      const plain = usage.prompt_tokens - read - write;
      const expected = (plain * 3 + usage.completion_tokens * 15 + read * 0.3 + write * writePerMillion) / 1e6;
      expect(cost, `cache_ttl ${ttl}`).toBeCloseTo(expected, 12);
    }
  });

  it("console.log(llm) shows the configuration redacted, never the secret key", async ({ llmFor }) => {
    const llm = llmFor(HAIKU_3);
    await llm.completion(ASK); // after a call the client and credentials exist too
    const printed = inspect(llm, { depth: 10 });
    expect(printed).not.toContain(BUILTIN_SECRET_ACCESS_KEY);
    expect(printed).toContain(`****${BUILTIN_SECRET_ACCESS_KEY.slice(-4)}`);
    expect(printed).toContain("prompt_tokens");
    expect(llm.config.aws_secret_access_key).toBe(BUILTIN_SECRET_ACCESS_KEY); // the field itself is unchanged
  });

  it("log_completions writes one JSON file per call, without secrets", async ({ llmFor }) => {
    const folder = await mkdtemp(join(tmpdir(), "llm-log-"));
    try {
      const llm = llmFor(HAIKU_3, { log_completions: true, log_completions_folder: folder });
      await llm.completion(ASK);
      await collect(llm.stream(ASK));
      const files = await readdir(folder);
      expect(files).toHaveLength(2);
      const texts = await Promise.all(files.map((f) => readFile(join(folder, f), "utf8")));
      for (const text of texts) {
        const entry = JSON.parse(text);
        expect(entry.request.messages).toEqual(ASK.messages);
        expect(entry.usage ?? entry.response.usage).toHaveProperty("prompt_tokens");
        expect(entry.latency_ms).toBeGreaterThan(0);
        expect(text).not.toContain(BUILTIN_SECRET_ACCESS_KEY);
      }
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it("a completion log that cannot be written warns instead of failing the call", async ({ llmFor }) => {
    const warnings: string[] = [];
    const llm = llmFor(
      HAIKU_3,
      { log_completions: true, log_completions_folder: "/dev/null/not-a-folder" },
      { onWarning: (m) => warnings.push(m) },
    );
    const response = await llm.completion(ASK);
    expect(response.choices[0]?.message.content).toMatch(/^Echo:/);
    expect(warnings.some((w) => w.startsWith("log_completions: cannot write"))).toBe(true);
  });
});
