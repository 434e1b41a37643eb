// Property (d) of issue 15: distinctive secret values in every credential setting and gateway key, and every
// surface scanned: CLI output of every command (with and without --debug), gateway answers, access and operator
// logs, completion logs, error messages and stacks, util.inspect and JSON.stringify of every public object, and
// the emulator's request log. None may hold a secret, whole or in part.
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { inspect } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { configFromObject, loadConfig } from "../../src/config/index.js";
import { BUILTIN_ACCESS_KEY_ID, type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { createGatewayContext, startGateway } from "../../src/gateway/index.js";
import { LLM } from "../../src/llm/index.js";
import { baseEnv, CLI, ROOT } from "../cli/run-cli.js";
import { control } from "../gateway/harness.js";
import { frontDoors } from "./doors.js";
import { rawRequest } from "./http.js";

const SECRETS = {
  secretKey: "Zq8SeCrEtKeYd1st1nct/7f3a9c1b2e4d6f8a0c2e4",
  sessionToken: "Zq8SeSsIoNtOkEnd1st1nct9e8d7c6b5a4f3e2d1c0b+a9/8==",
  webIdentityToken: "eyZq8WeBiDeNtItYd1st1nct.payload/with/slashes.sig0123456789",
  bearer: `ABSK${Buffer.from("Zq8BeArErd1st1nct:0123456789abcdef0123").toString("base64")}`,
  gatewayKey: "sk-Zq8GaTeWaYkEyd1st1nct-0123456789abcdef",
};
const ROLE = "arn:aws:iam::123456789012:role/WebIdentityRole";

/** Each secret whole, and pieces of it no mask shows (its head, and a middle run): none may appear anywhere. */
const NEEDLES = Object.values(SECRETS).flatMap((secret) => [secret, secret.slice(0, 14), secret.slice(6, 22)]);

function expectNoSecret(surface: string, text: string): void {
  for (const needle of NEEDLES) {
    if (text.includes(needle)) {
      const at = text.indexOf(needle);
      expect.fail(
        `${surface} holds a secret piece ${JSON.stringify(needle)}: ...${text.slice(Math.max(0, at - 80), at + 80)}...`,
      );
    }
  }
}

let emulator: RunningEmulator;
let configFile: string;
let logFolder: string;

function configObject(url: string) {
  return {
    llm: {
      model: "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0",
      cross_region_target: "us",
      aws_region_name: "us-east-1",
      aws_access_key_id: BUILTIN_ACCESS_KEY_ID,
      aws_secret_access_key: SECRETS.secretKey,
      aws_session_token: SECRETS.sessionToken,
      aws_bedrock_runtime_endpoint: url,
      aws_sts_endpoint: url,
      num_retries: 0,
      log_completions: true,
      log_completions_folder: logFolder,
      bearer: { aws_bearer_token: SECRETS.bearer },
      webid: { aws_web_identity_token: SECRETS.webIdentityToken, aws_role_name: ROLE },
    },
    server: { api_keys: [SECRETS.gatewayKey] },
  };
}

beforeAll(async () => {
  emulator = await startEmulator({ host: "127.0.0.1", port: 0 });
  await control(emulator.url, "api-keys", { key: SECRETS.bearer });
  const dir = mkdtempSync(join(tmpdir(), "bedrock-llm-secrets-"));
  logFolder = join(dir, "completions");
  configFile = join(dir, "config.toml");
  writeFileSync(configFile, toToml(configObject(emulator.url)));
});
afterAll(async () => {
  await emulator?.close();
});

/** A flat TOML writer for the config above (strings, numbers, booleans, arrays of strings, one level of tables). */
function toToml(config: ReturnType<typeof configObject>): string {
  const lines: string[] = [];
  const value = (v: unknown) =>
    Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(", ")}]` : JSON.stringify(v);
  const table = (name: string, entries: Record<string, unknown>) => {
    lines.push(`[${name}]`);
    const nested: [string, Record<string, unknown>][] = [];
    for (const [k, v] of Object.entries(entries)) {
      if (v && typeof v === "object" && !Array.isArray(v)) nested.push([k, v as Record<string, unknown>]);
      else lines.push(`${k} = ${value(v)}`);
    }
    for (const [k, v] of nested) table(`${name}.${k}`, v);
  };
  table("llm", config.llm);
  table("server", config.server);
  return `${lines.join("\n")}\n`;
}

function runCli(args: string[], untilLine?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: ROOT,
      env: baseEnv(),
      stdio: ["pipe", "pipe", "pipe"],
    });
    let out = "";
    const take = (d: Buffer) => {
      out += d.toString();
      if (untilLine?.test(out)) child.kill("SIGTERM");
    };
    child.stdout.on("data", take);
    child.stderr.on("data", take);
    child.on("error", reject);
    child.on("close", () => resolve(out));
    child.stdin.end("");
  });
}

describe("secrets never leave", () => {
  it("CLI: every command, with and without --debug", async () => {
    // --debug adds stacks to errors: it runs where errors are (the default section's signature is refused).
    const runs = [
      ["check", "-c", configFile],
      ["--debug", "check", "-c", configFile, "--invoke"],
      ["check", "-c", configFile, "--llm", "webid", "--invoke", "--identity"],
      ["--debug", "check", "-c", configFile, "--llm", "bearer", "--invoke"],
      ["chat", "-c", configFile, "hello"],
      ["--debug", "chat", "-c", configFile, "hello"],
      ["chat", "-c", configFile, "--llm", "bearer", "--json", "hello"],
      ["--debug", "chat", "-c", configFile, "--llm", "webid", "hello"],
      ["models", "sonnet"],
    ];
    // Two at a time: the machine's two cores.
    const outputs: string[] = [];
    for (let i = 0; i < runs.length; i += 2) {
      const pair = runs.slice(i, i + 2);
      const done = await Promise.all(pair.map((args) => runCli(args)));
      done.forEach((out, j) => {
        outputs.push(out);
        expectNoSecret(`bedrock-llm ${pair[j]?.join(" ")}`, out);
      });
    }
    expect(outputs[0]).toContain("****"); // check printed the configuration, redacted
    // serve: started, then stopped once it says where it listens
    const served = await Promise.all(
      [[], ["--debug"]].map((debug) => runCli([...debug, "serve", "-c", configFile, "--port", "0"], /listening on/)),
    );
    for (const out of served) {
      expect(out).toContain("listening on");
      expectNoSecret("bedrock-llm serve", out);
    }
  }, 120_000);

  it("gateway: answers, headers, access log, operator log and stderr over every door and section", async () => {
    const config = await loadConfig(configFile, { env: {} });
    const access: unknown[] = [];
    const stderr: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    }) as typeof process.stderr.write;
    const gateway = await startGateway(config, { host: "127.0.0.1", port: 0, accessLog: (e) => access.push(e) });
    try {
      for (const door of frontDoors()) {
        for (const model of ["default", "bearer", "webid"]) {
          for (const stream of [false, true]) {
            for (const headers of <Record<string, string>[]>[
              { authorization: `Bearer ${SECRETS.gatewayKey}` },
              { "x-api-key": SECRETS.gatewayKey },
              { authorization: `Bearer ${SECRETS.gatewayKey}x` },
            ]) {
              const body = JSON.stringify({ ...door.sample?.(stream), model });
              const res = await rawRequest(gateway.url, {
                method: door.method,
                path: door.path,
                headers: { ...headers, "content-type": "application/json" },
                ...(door.method === "POST" ? { body } : {}),
              });
              expectNoSecret(`${door.method} ${door.path} ${model}`, JSON.stringify(res.headers) + res.text);
            }
          }
        }
      }
      for (const path of ["/v1/models", "/metrics", "/healthz"]) {
        const res = await rawRequest(gateway.url, {
          method: "GET",
          path,
          headers: { authorization: `Bearer ${SECRETS.gatewayKey}` },
        });
        expectNoSecret(path, res.text);
      }
      expectNoSecret("util.inspect(gateway)", inspect(gateway, { depth: 8, showHidden: true }));
    } finally {
      await gateway.close();
      process.stderr.write = write;
    }
    expect(access.length).toBeGreaterThan(0);
    expectNoSecret("access log", JSON.stringify(access));
    expectNoSecret("stderr (operator log)", stderr.join(""));
  }, 120_000);

  it("library: errors (message, stack, inspect, JSON), public objects, completion logs, the emulator's log", async () => {
    const config = configFromObject(configObject(emulator.url), { env: {} });
    const surfaces: [string, string][] = [];
    const inspectAll = (name: string, value: unknown) => {
      surfaces.push([`inspect(${name})`, inspect(value, { depth: 10, showHidden: true, getters: true })]);
      try {
        surfaces.push([`JSON.stringify(${name})`, JSON.stringify(value) ?? ""]);
      } catch (error) {
        surfaces.push([`JSON.stringify(${name}) threw`, String(error)]);
      }
    };
    for (const section of [config.llm, ...Object.values(config.llms)]) {
      const llm = new LLM(section);
      inspectAll(`new LLM(${section.section})`, llm);
      for (const stream of [false, true]) {
        try {
          const request = { messages: [{ role: "user" as const, content: "hello" }] };
          if (stream) for await (const _ of llm.stream(request)) void _;
          else await llm.completion(request);
        } catch (error) {
          const e = error as Error;
          surfaces.push([`${section.section} error`, `${e.message}\n${e.stack}\n${String(e)}`]);
          inspectAll(`${section.section} error`, error);
        }
      }
      inspectAll(`LLM ${section.section} after calls`, llm);
      inspectAll(`${section.section} metrics`, llm.metrics);
    }
    const ctx = createGatewayContext(config, { accessLog: false, env: {} });
    inspectAll("gateway context", ctx);
    for (const [name, text] of surfaces) expectNoSecret(name, text);
    const logged = readdirSync(logFolder).map((file) => readFileSync(join(logFolder, file), "utf8"));
    expect(logged.length).toBeGreaterThan(0);
    expectNoSecret("completion logs", logged.join("\n"));
    const requests = await fetch(`${emulator.url}/_emulator/requests`).then((r) => r.text());
    expectNoSecret("emulator request log", requests);
  });
});
