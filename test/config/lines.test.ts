// Errors name the line the TOML parser puts the key on, whatever shape the file has.
import { describe, expect, it } from "vitest";
import { configError, load, MODEL } from "./support.js";

/** Line numbers of `text`, 1-based, for the line that equals `line` exactly (after trimming). */
function lineEqual(text: string, line: string): number {
  const index = text.split("\n").findIndex((candidate) => candidate.trim() === line);
  if (index < 0) throw new Error(`no line ${line}`);
  return index + 1;
}

describe("error lines", () => {
  it("follow dotted keys at the top level (llm.model = ...)", () => {
    const text = `llm.model = "${MODEL}"\nllm.aws_region_name = "us-east-1"\nllm.temperature = 3\n`;
    const error = configError(() => load(text));
    expect(error.key).toBe("llm.temperature");
    expect(error.line).toBe(3);
    expect(error.message).toBe("test.toml:3: llm.temperature = 3 is out of range: must be between 0 and 1");
  });

  it("follow dotted keys under [llm] (sso.model = ...)", () => {
    const text = `[llm]\nmodel = "${MODEL}"\naws_region_name = "us-east-1"\nsso.temperature = 0.2\nsso.model = "openai/gpt-4o"\n`;
    const error = configError(() => load(text));
    expect(error.key).toBe("llm.sso.model");
    expect(error.line).toBe(lineEqual(text, 'sso.model = "openai/gpt-4o"'));
    expect(error.message).toMatch(/^test\.toml:5: llm\.sso\.model = "openai\/gpt-4o" names the "openai" provider/);
  });

  it("skip key-like lines inside multi-line strings", () => {
    const text = `[llm]\nmodel = "${MODEL}"\naws_region_name = "us-east-1"\nlog_completions_folder = """\ntemperature = 0.5\n[llm.other]\n"""\ntemperature = 3\n`;
    const error = configError(() => load(text));
    expect(error.key).toBe("llm.temperature");
    expect(error.line).toBe(lineEqual(text, "temperature = 3"));
    expect(error.line).toBe(8);
  });

  it("point into inline tables and at sub-table headers", () => {
    const inline = `[llm]\nmodel = "${MODEL}"\naws_region_name = "us-east-1"\ncapabilities = { tools = true, thinking = "deep" }\n`;
    expect(configError(() => load(inline))).toMatchObject({ key: "llm.capabilities.thinking", line: 4 });
    const table = `[llm]\nmodel = "${MODEL}"\naws_region_name = "us-east-1"\n\n[llm.guardrail_config]\nguardrailIdentifier = "g1"\nguardrailVersion = "latest"\n`;
    const error = configError(() => load(table));
    expect(error.key).toBe("llm.guardrail_config.guardrailVersion");
    expect(error.line).toBe(7);
  });

  it("point at quoted keys", () => {
    const text = `[llm]\nmodel = "${MODEL}"\n"aws_region_name" = "us-east-1"\n'top_p' = 2\n`;
    expect(configError(() => load(text)).line).toBe(4);
  });
});
