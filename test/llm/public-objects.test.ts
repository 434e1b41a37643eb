/**
 * Serialising what the library hands out never shows a secret: the LLM (before and after calls, through
 * JSON.stringify, util.inspect, spreading and Object.entries), its metrics, and the errors its calls throw.
 * Each credential setting gets a distinctive value; `llm.config` stays readable as given.
 */
import { inspect } from "node:util";
import { describe, expect } from "vitest";
import { BUILTIN_ACCESS_KEY_ID, BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { BedrockLLMError } from "../../src/errors.js";
import type { LLM } from "../../src/llm/index.js";
import { collect, it } from "./emulator.js";
import { HAIKU_3 } from "./helpers.js";

const ASK = { messages: [{ role: "user" as const, content: "hello" }] };
const NO_RETRY = { num_retries: 0 };

const SESSION_TOKEN = "Zq8Wv3Ln6Tb1Ks9Pd4Hx7Rm2Fc5Gj0SessTOKN";
const SECRET_KEY = "Mf2Kd8Lq4Zx6Cv1Bn9Ha3Sj7Wp5Re0SecrETKY";
const BEARER_TOKEN = "ABSKQmVkcm9ja0FQSUtleS1Yb3Vyc2VsZkJearTKN";
const WEB_IDENTITY_TOKEN = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhZ2VudC1zZXJ2aWNlIn0.c2lnbmF0dXJlV0lUVE9LRU4";

/** Every way a logger or a program might serialise an object. */
function renderings(value: unknown): string[] {
  const object = value as object;
  return [
    JSON.stringify(value),
    JSON.stringify({ wrapped: value }),
    inspect(value, { depth: Number.POSITIVE_INFINITY, showHidden: true }),
    inspect({ ...object }, { depth: Number.POSITIVE_INFINITY }),
    inspect(Object.entries(object), { depth: Number.POSITIVE_INFINITY }),
    String(value),
  ];
}

/** No 5-character piece of the secret beyond its last 4 characters (which the redacted view may show). */
function expectHidden(texts: string[], secret: string, label: string): void {
  const hidden = secret.slice(0, -4);
  for (const text of texts) {
    for (let start = 0; start + 5 <= hidden.length; start += 1) {
      expect(text.includes(hidden.slice(start, start + 5)), `${label}: ${text.slice(0, 200)}`).toBe(false);
    }
  }
}

async function failure(run: () => Promise<unknown>): Promise<unknown> {
  return run().then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe("serialising the LLM and what it returns", () => {
  it("JSON.stringify(llm) gives the redacted configuration and the metrics, before and after calls", async ({
    llmFor,
  }) => {
    const llm = llmFor(HAIKU_3);
    const before = JSON.parse(JSON.stringify(llm));
    expect(before.config.aws_secret_access_key).toBe(`****${BUILTIN_SECRET_ACCESS_KEY.slice(-4)}`);
    expect(before.config.model).toBe(`bedrock/${HAIKU_3}`);
    expect(before.metrics.calls).toEqual([]);
    await llm.completion(ASK);
    await collect(llm.stream(ASK));
    const after = JSON.parse(JSON.stringify(llm)); // no "Converting circular structure" once the client exists
    expect(after.config).toEqual(before.config);
    expect(after.metrics.calls).toHaveLength(2);
    expect(after.metrics).toEqual(JSON.parse(JSON.stringify(llm.metrics)));
    // The built-in secret shares "EXAMPLE" with the access key id (shown): look for its own parts.
    for (const text of [...renderings(llm), ...renderings(llm.metrics)]) {
      for (const part of BUILTIN_SECRET_ACCESS_KEY.slice(0, -4).split(/EXAMPLE|\//)) expect(text).not.toContain(part);
    }
    expect(inspect(llm)).toContain(`****${BUILTIN_SECRET_ACCESS_KEY.slice(-4)}`);
  });

  it("keeps the raw configuration out of the object's own properties, and llm.config readable", ({ llmFor }) => {
    const llm = llmFor(HAIKU_3);
    expect(Object.keys(llm)).toEqual([]);
    expect(Object.getOwnPropertyNames(llm)).toEqual([]);
    expect(llm.config.aws_access_key_id).toBe(BUILTIN_ACCESS_KEY_ID);
    expect(llm.config.aws_secret_access_key).toBe(BUILTIN_SECRET_ACCESS_KEY);
  });

  const methods: [string, Record<string, unknown>, string[]][] = [
    [
      "keys with a session token",
      {
        aws_access_key_id: "ASIAIOSFODNN7EXAMPLE",
        aws_secret_access_key: SECRET_KEY,
        aws_session_token: SESSION_TOKEN,
      },
      [SECRET_KEY, SESSION_TOKEN],
    ],
    [
      "a Bedrock API key",
      { aws_access_key_id: undefined, aws_secret_access_key: undefined, aws_bearer_token: BEARER_TOKEN },
      [BEARER_TOKEN],
    ],
    [
      "a web identity token",
      {
        aws_access_key_id: undefined,
        aws_secret_access_key: undefined,
        aws_role_name: "arn:aws:iam::123456789012:role/agent",
        aws_web_identity_token: WEB_IDENTITY_TOKEN,
      },
      [WEB_IDENTITY_TOKEN],
    ],
  ];

  it.for(methods)(
    "shows no secret of %s: the LLM, its metrics, and the errors its calls throw",
    async ([label, extra, secrets], { emulator, llmFor }) => {
      const emulatorUrl = emulator.url;
      const llm: LLM = llmFor(HAIKU_3, { ...NO_RETRY, aws_sts_endpoint: emulatorUrl, ...extra });
      const texts = [...renderings(llm)];
      const errors = [await failure(() => llm.completion(ASK)), await failure(() => collect(llm.stream(ASK)))];
      texts.push(...renderings(llm), ...renderings(llm.metrics));
      for (const error of errors) {
        if (error === undefined) continue;
        expect(error).toBeInstanceOf(BedrockLLMError);
        const { message, stack } = error as Error;
        texts.push(...renderings(error), message, String(stack));
      }
      for (const secret of secrets) expectHidden(texts, secret, label);
    },
  );
});
