import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { configFromObject } from "../../src/config/index.js";
import { BASE, configError, lineOf, load, MODEL, NO_ENV } from "./support.js";

describe("[llm.NAME] sections", () => {
  const text = `${BASE}temperature = 0.3
guardrail_config = { guardrailIdentifier = "g1", guardrailVersion = "1", trace = "enabled" }
aws_profile_name = "base-profile"

[llm.cold]
temperature = 0

[llm.guarded]
guardrail_config = { guardrailIdentifier = "g2", guardrailVersion = "DRAFT" }

[llm.keys]
aws_access_key_id = "AKIAIOSFODNN7EXAMPLE"
aws_secret_access_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
`;

  it("inherit every [llm] key they do not set, and name their section", () => {
    const config = load(text);
    expect(config.llm.section).toBe("llm");
    expect(config.llms.cold?.section).toBe("cold");
    expect(config.llms.cold?.temperature).toBe(0);
    expect(config.llms.cold?.model).toBe(MODEL);
    expect(config.llms.cold?.aws_profile_name).toBe("base-profile");
    expect(config.llms.cold?.provenance).toMatchObject({ temperature: "file", model: "inherited", timeout: "default" });
    expect(config.llm.temperature).toBe(0.3);
  });

  it("replace nested tables as a whole", () => {
    expect(load(text).llms.guarded?.guardrail_config).toEqual({ guardrailIdentifier: "g2", guardrailVersion: "DRAFT" });
  });

  it("inherit no credential source when they choose their own", () => {
    const keys = load(text).llms.keys;
    expect(keys?.aws_profile_name).toBeUndefined();
    expect(keys?.aws_access_key_id).toBe("AKIAIOSFODNN7EXAMPLE");
    expect(keys?.temperature).toBe(0.3);
  });

  it("may set a model and region of their own", () => {
    const config = load(
      `${BASE}\n[llm.eu]\nmodel = "bedrock/eu.amazon.nova-lite-v1:0"\naws_region_name = "eu-west-3"\n`,
    );
    expect(config.llms.eu).toMatchObject({ model: "bedrock/eu.amazon.nova-lite-v1:0", aws_region_name: "eu-west-3" });
  });

  it("refuse a section named like a key", () => {
    const bad = `${BASE}\n[llm.temperature]\nmodel = "${MODEL}"\n`;
    const error = configError(() => load(bad));
    expect(error.message).toContain('[llm.temperature] is a section named like the key "temperature"');
    expect(error.line).toBe(lineOf(bad, "[llm.temperature]"));
  });

  it("refuse sections nested deeper than one level", () => {
    const bad = `${BASE}\n[llm.a.b]\nmodel = "${MODEL}"\n`;
    const error = configError(() => load(bad));
    expect(error.message).toContain("sections nest only one level");
    expect(error.key).toBe("llm.a.b");
  });

  it("report errors in a section at the section's own line", () => {
    const bad = `${BASE}\n[llm.cold]\ntemperature = 3\n`;
    const error = configError(() => load(bad));
    expect(error.key).toBe("llm.cold.temperature");
    expect(error.line).toBe(lineOf(bad, "temperature = 3"));
    expect(error.message).toBe(
      `test.toml:${error.line}: llm.cold.temperature = 3 is out of range: must be between 0 and 1`,
    );
  });

  it("report an inherited value that breaks a section at the [llm] line that set it", () => {
    const bad = `${BASE}retry_min_wait = 30\n\n[llm.fast]\nretry_max_wait = 10\n`;
    const error = configError(() => load(bad));
    expect(error.key).toBe("llm.retry_min_wait");
    expect(error.line).toBe(lineOf(bad, "retry_min_wait"));
    expect(error.message).toContain("llm.fast.retry_min_wait = 30 is above retry_max_wait = 10");
  });
});

describe("errors about missing values", () => {
  it("point at the header of the section that lacks them", () => {
    const dir = mkdtempSync(join(tmpdir(), "bedrock-llm-inherit-"));
    const awsConfig = join(dir, "config");
    writeFileSync(awsConfig, "[profile p]\nregion = us-east-1\n\n[profile q]\noutput = json\n");
    const text = `[llm]\nmodel = "${MODEL}"\naws_profile_name = "p"\n\n[llm.other]\naws_profile_name = "q"\n`;
    const error = configError(() => load(text, { AWS_CONFIG_FILE: awsConfig }));
    expect(error.key).toBe("llm.other.aws_region_name");
    expect(error.line).toBe(lineOf(text, "[llm.other]"));
    expect(error.message).toContain("llm.other has no AWS region. Looked at: aws_region_name in [llm.other] and [llm]");
  });
});

describe("configFromObject", () => {
  it("builds the same configuration from a plain object", () => {
    const config = configFromObject(
      { llm: { model: MODEL, aws_region_name: "us-west-2", named: { temperature: 0.1 } }, server: { port: 9000 } },
      { env: NO_ENV },
    );
    expect(config.llms.named).toMatchObject({ temperature: 0.1, aws_region_name: "us-west-2", section: "named" });
    expect(config.server.port).toBe(9000);
  });

  it("names the key but no file or line", () => {
    const error = configError(() =>
      configFromObject({ llm: { model: MODEL, aws_region_name: "us-east-1", top_p: 9 } }, { env: NO_ENV }),
    );
    expect(error).toMatchObject({ key: "llm.top_p", file: undefined, line: undefined });
    expect(error.message).toBe("llm.top_p = 9 is out of range: must be between 0 and 1");
  });

  it("requires an [llm] section", () => {
    expect(configError(() => configFromObject({}, { env: NO_ENV })).message).toContain("no [llm] section");
  });
});
