// The wording of messages a new user meets first, and inputs that must fail as ConfigError.
import { describe, expect, it } from "vitest";
import { configFromObject, LLM_KEYS, SERVER_KEYS } from "../../src/config/index.js";
import { ConfigError } from "../../src/errors.js";
import { geographiesForRegion, listModels, resolveModel } from "../../src/models/index.js";
import { BASE, configError, load, MODEL, NO_ENV } from "./support.js";

describe("values of the wrong type", () => {
  it('say that temperature must be a number: temperature = "hot"', () => {
    const error = configError(() => load(`${BASE}temperature = "hot"\n`));
    expect(error.message).toBe(
      'test.toml:4: llm.temperature = "hot" has the wrong type (a string): must be a number between 0 and 1',
    );
  });

  it("say that guardrailVersion is a quoted string: guardrailVersion = 1", () => {
    const error = configError(() =>
      load(`${BASE}guardrail_config = { guardrailIdentifier = "g1", guardrailVersion = 1 }\n`),
    );
    expect(error.key).toBe("llm.guardrail_config.guardrailVersion");
    expect(error.message).toBe(
      'test.toml:4: llm.guardrail_config.guardrailVersion = 1 has the wrong type (a number): must be a quoted string such as "1" or "DRAFT"',
    );
  });

  const numeric = (keys: typeof LLM_KEYS, section: string) =>
    Object.entries(keys).flatMap(([key, spec]) => [
      ...(spec.kind === "number" || spec.kind === "integer" ? [[section, key, undefined] as const] : []),
      ...Object.entries(spec.fields ?? {})
        .filter(([, field]) => field.kind === "number" || field.kind === "integer")
        .map(([field]) => [section, key, field] as const),
    ]);
  const cases = [...numeric(LLM_KEYS, "llm"), ...numeric(SERVER_KEYS, "server")];

  it("cover every numeric key", () => {
    expect(cases.length).toBeGreaterThan(15);
  });

  it.each(cases)("say a number is expected for %s.%s %s", (section, key, field) => {
    const line = field === undefined ? `${key} = "x"` : `${key} = { ${field} = "x" }`;
    const text = section === "server" ? `${BASE}\n[server]\n${line}\n` : `${BASE}${line}\n`;
    const error = configError(() => load(text));
    expect(error.message).toMatch(/has the wrong type \(a string\): must be .*\bnumber\b/);
  });
});

describe("configFromObject", () => {
  it.each([{ data: null }, { data: undefined }, { data: 42 }, { data: "llm" }, { data: [{ llm: {} }] }])(
    "refuses $data with a ConfigError",
    ({ data }) => {
      const error = configError(() => configFromObject(data as never, { env: NO_ENV }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain("the configuration must be a table shaped like the TOML file");
    },
  );
});

describe("cross_region_target", () => {
  const regions = ["us-east-1", "eu-west-1", "ap-south-1", "us-gov-west-1", "ap-northeast-1", "ap-southeast-2"];
  const geographies = [...new Set(listModels().flatMap((model) => model.geographies))];

  it("the registry has country-scoped geographies", () => {
    expect(geographies).toEqual(expect.arrayContaining(["jp", "au"]));
  });

  it.each(geographies)("accepts %s, a geography the registry knows", (geography) => {
    const region = regions.find((candidate) => geographiesForRegion(candidate).includes(geography)) as string;
    const model = listModels().find((row) => row.geographies.includes(geography) && row.lifecycle === "active");
    expect(region).toBeDefined();
    expect(model).toBeDefined();
    const config = load(
      `[llm]\nmodel = "bedrock/${model?.id}"\naws_region_name = "${region}"\ncross_region_target = "${geography}"\n`,
    );
    expect(config.llm.cross_region_target).toBe(geography);
    expect(resolveModel(config.llm).sentId).toBe(`${geography}.${model?.id}`);
  });

  it("names every accepted geography when refusing one", () => {
    const error = configError(() => load(`${BASE}cross_region_target = "mars"\n`));
    expect(error.message).toContain('must be one of "us", "eu", "apac", "us-gov", "global", "jp", "au"');
  });

  it("still refuses a geography the region cannot use", () => {
    const error = configError(() =>
      load(`[llm]\nmodel = "${MODEL}"\naws_region_name = "us-east-1"\ncross_region_target = "jp"\n`),
    );
    expect(error.message).toContain('aws_region_name us-east-1 is not a source region of "jp" profiles');
  });
});
