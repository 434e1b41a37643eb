// Property (a) of issue 15: any TOML text and any object into the config loader gives a valid configuration or a
// ConfigError, never another exception, and no secret value appears in the error (message, stack, inspect, JSON).
import { inspect } from "node:util";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { configFromObject, LLM_KEYS, parseConfig, SECRET_KEYS, SERVER_KEYS } from "../../src/config/index.js";
import { ConfigError } from "../../src/errors.js";

const SEED = 20261128;
const LIMITS = { seed: SEED, interruptAfterTimeLimit: 20_000, markInterruptAsFailure: false };
const MARK = "Zq9SeKrEt";

/** A secret value: distinctive, so finding it anywhere in an error is a leak, not a coincidence. */
const secret = fc
  .string({ unit: fc.constantFrom(..."abcdef0123456789/+=-_.~"), minLength: 8, maxLength: 40 })
  .map((tail) => `${MARK}${tail}`);

const scalar = fc.oneof(
  fc.string({ maxLength: 30 }).filter((s) => !s.includes(MARK)),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constantFrom("bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0", "us", "us-east-1", "5m", "1h", "high"),
);
const value = fc.oneof({ weight: 4, arbitrary: scalar }, { weight: 1, arbitrary: fc.array(scalar, { maxLength: 3 }) });
const llmKey = fc.constantFrom(...Object.keys(LLM_KEYS), "unknown_key", "modle");
const serverKey = fc.constantFrom(...Object.keys(SERVER_KEYS), "apikeys");
const secretKey = fc.constantFrom(...SECRET_KEYS);

/** A section: settings with plausible values, and secrets under the secret keys (or secret lists for api_keys). */
function section(keys: fc.Arbitrary<string>) {
  return fc
    .tuple(
      fc.dictionary(keys, value, { maxKeys: 6 }),
      fc.dictionary(secretKey, fc.oneof(secret, fc.array(secret, { minLength: 1, maxLength: 2 })), { maxKeys: 3 }),
    )
    .map(([settings, secrets]) => ({ ...settings, ...secrets }));
}

/** Near a valid configuration: a model and region, secrets in their keys, and one setting of any value. */
const nearValid = fc
  .tuple(fc.dictionary(secretKey, secret, { maxKeys: 3 }), fc.option(fc.tuple(llmKey, value), { nil: undefined }))
  .map(([secrets, extra]) => {
    const { api_keys: apiKeys, ...credentials } = secrets;
    const llm: Record<string, unknown> = {
      model: "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0",
      aws_region_name: "us-east-1",
      ...credentials,
    };
    if (extra) llm[extra[0]] = extra[1];
    return { llm, ...(apiKeys ? { server: { api_keys: [apiKeys] } } : {}) };
  });

const randomConfig = fc.record(
  {
    llm: fc
      .tuple(section(llmKey), fc.dictionary(fc.constantFrom("haiku", "b", "server"), section(llmKey), { maxKeys: 2 }))
      .map(([main, named]) => ({ ...main, ...named })),
    server: section(serverKey),
    extra: section(llmKey),
  },
  { requiredKeys: [] },
);
const configObject = fc.oneof(randomConfig, nearValid);

/** The secrets an input holds (values under secret keys, at any depth). */
function secretsIn(value: unknown): string[] {
  let text: string;
  try {
    text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  } catch {
    text = ""; // a BigInt or a cycle: fast-check's anything() holds no secrets
  }
  return [...text.matchAll(new RegExp(`${MARK}[a-f0-9/+=\\-_.~]*`, "g"))].map((m) => m[0].replace(/\\\\/g, "\\"));
}

function toml(data: Record<string, unknown>): string {
  const lines: string[] = [];
  const render = (v: unknown): string =>
    Array.isArray(v)
      ? `[${v.map(render).join(", ")}]`
      : typeof v === "number" && !Number.isFinite(v)
        ? "nan"
        : JSON.stringify(v);
  const table = (name: string, entries: Record<string, unknown>) => {
    lines.push(`[${name}]`);
    const nested: [string, Record<string, unknown>][] = [];
    for (const [k, v] of Object.entries(entries)) {
      if (v && typeof v === "object" && !Array.isArray(v)) nested.push([k, v as Record<string, unknown>]);
      else lines.push(`${k} = ${render(v)}`);
    }
    for (const [k, v] of nested) table(`${name}.${k}`, v);
  };
  for (const [name, entries] of Object.entries(data)) table(name, entries as Record<string, unknown>);
  return `${lines.join("\n")}\n`;
}

/** Text edits that break TOML where secrets are: a cut, a stray character, a line joined to the next. */
const edit = fc.tuple(
  fc.nat(),
  fc.constantFrom("cut", "insert", "join", "none"),
  fc.constantFrom('"', "=", "[", "\n", "x", "'"),
);
function applyEdit(text: string, [at, kind, char]: [number, string, string]): string {
  const i = text.length === 0 ? 0 : at % text.length;
  if (kind === "cut") return text.slice(0, i) + text.slice(i + 1);
  if (kind === "insert") return text.slice(0, i) + char + text.slice(i);
  if (kind === "join") return text.replace("\n", " ");
  return text;
}

/** Outcomes seen, by kind: the properties must have met both valid configurations and errors quoting input. */
const seen = { valid: 0, errorsWithSecretsInInput: 0 };

function outcome(build: () => unknown, secrets: string[]): void {
  let error: unknown;
  try {
    build();
    seen.valid++;
    return;
  } catch (e) {
    error = e;
  }
  if (secrets.length > 0) seen.errorsWithSecretsInInput++;
  expect(error, String((error as Error)?.stack)).toBeInstanceOf(ConfigError);
  const e = error as ConfigError;
  const surfaces = `${e.message}\n${e.stack}\n${inspect(e, { depth: 8, showHidden: true })}\n${JSON.stringify(e)}`;
  for (const s of secrets) {
    // A piece as long as the mark plus 6 characters cannot appear by chance; masks show 4 characters at most.
    expect(surfaces.includes(s.slice(0, MARK.length + 6)), `${s} in ${surfaces.slice(0, 2000)}`).toBe(false);
  }
}

describe("config loader", () => {
  it("any object: a configuration or a ConfigError without secrets", () => {
    const anything = fc.oneof(
      { weight: 4, arbitrary: configObject },
      { weight: 1, arbitrary: fc.anything({ maxDepth: 3 }) },
    );
    fc.assert(
      fc.property(anything, (data) =>
        outcome(() => configFromObject(data as Record<string, unknown>, { env: {} }), secretsIn(data)),
      ),
      { numRuns: 400, ...LIMITS },
    );
  });

  it("any TOML text: a configuration or a ConfigError without secrets", () => {
    const text = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(configObject, edit).map(([data, e]) => applyEdit(toml(data), e)) },
      { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
    );
    fc.assert(
      fc.property(text, (t) => outcome(() => parseConfig(t, "config.toml", { env: {} }), secretsIn(t))),
      { numRuns: 400, ...LIMITS },
    );
  });

  it("met valid configurations and errors on inputs holding secrets", () => {
    expect(seen.valid).toBeGreaterThan(0);
    expect(seen.errorsWithSecretsInInput).toBeGreaterThan(50);
  });
});
