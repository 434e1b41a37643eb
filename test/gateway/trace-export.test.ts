/**
 * `serve` exports its traces by OTLP/HTTP when the standard variables ask for it: a receiver on loopback, started
 * here, takes what the exporter posts; the spans of a request arrive by the time the process has exited (flushed
 * at shutdown). With OTEL_SDK_DISABLED nothing is sent.
 */
import { spawn } from "node:child_process";
import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";
import { createInterface } from "node:readline";
import { describe, expect, it as plain } from "vitest";
import { BUILTIN_SECRET_ACCESS_KEY } from "../../src/emulator/index.js";
import { wantsTraceExport } from "../../src/gateway/trace-export.js";
import { baseEnv, CLI, it } from "../cli/run-cli.js";

interface OtlpValue {
  stringValue?: string;
  intValue?: number | string;
  boolValue?: boolean;
  doubleValue?: number;
  arrayValue?: { values: OtlpValue[] };
}
interface OtlpAttribute {
  key: string;
  value: OtlpValue;
}
interface OtlpSpan {
  name: string;
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  kind: number;
  attributes: OtlpAttribute[];
}
interface Received {
  service: string | undefined;
  spans: OtlpSpan[];
  headers: IncomingHttpHeaders;
  raw: string;
}

/** A loopback OTLP/HTTP receiver: keeps every POST to /v1/traces (the exporter's JSON). */
async function startReceiver(): Promise<{ url: string; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d: Buffer) => {
      raw += d.toString();
    });
    req.on("end", () => {
      if (req.method === "POST" && req.url === "/v1/traces") {
        const body = JSON.parse(raw) as {
          resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
        };
        for (const rs of body.resourceSpans) {
          const service = rs.resource.attributes.find((a) => a.key === "service.name")?.value.stringValue;
          received.push({ service, spans: rs.scopeSpans.flatMap((s) => s.spans), headers: req.headers, raw });
        }
      }
      res.writeHead(200, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** serve with `env`, one chat completion through it, then SIGTERM; resolves with its exit code and stderr. */
async function serveOneRequest(
  configFile: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [CLI, "serve", "-c", configFile, "--port", "0"], {
    env: baseEnv(env),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  const first = await new Promise<string>((resolve) => createInterface({ input: child.stdout }).once("line", resolve));
  const url = /listening on (http:\/\/\S+)/.exec(first)?.[1];
  const res = await fetch(`${url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "default", messages: [{ role: "user", content: "traced words" }] }),
  });
  expect(res.status).toBe(200);
  await res.text();
  child.kill("SIGTERM");
  return { code: await exited, stderr };
}

function attribute(span: OtlpSpan | undefined, key: string): OtlpValue | undefined {
  return span?.attributes.find((a) => a.key === key)?.value;
}

describe("serve: OTLP trace export", () => {
  it("sends the request's spans (server, key check, call, attempt) to the OTLP endpoint, flushed at shutdown", async ({
    configFile,
  }) => {
    const receiver = await startReceiver();
    try {
      const { code, stderr } = await serveOneRequest(configFile, {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_EXPORTER_OTLP_HEADERS: "x-otlp-token=otlp-secret-123",
      });
      expect(code).toBe(0);
      expect(stderr).toContain(`traces: OTLP/HTTP to ${receiver.url}/v1/traces`);
      expect(stderr).not.toContain("otlp-secret-123");
      const spans = receiver.received.flatMap((r) => r.spans);
      expect(new Set(receiver.received.map((r) => r.service))).toEqual(new Set(["bedrock-llm-gateway"]));
      // The exporter sends the configured headers (the collector's token), as the variables say.
      expect(receiver.received[0]?.headers["x-otlp-token"]).toBe("otlp-secret-123");
      const server = spans.find((s) => s.name === "POST /v1/chat/completions");
      const call = spans.find((s) => s.name.startsWith("chat "));
      const attempt = spans.find((s) => s.name.startsWith("bedrock "));
      expect(attribute(server, "http.response.status_code")?.intValue).toBe(200);
      expect(attribute(call, "gen_ai.provider.name")?.stringValue).toBe("aws.bedrock");
      expect(Number(attribute(call, "gen_ai.usage.output_tokens")?.intValue)).toBeGreaterThan(0);
      expect(call?.traceId).toBe(server?.traceId);
      expect(call?.parentSpanId).toBe(server?.spanId);
      expect(attempt?.parentSpanId).toBe(call?.spanId);
      expect(spans.map((s) => s.name)).toEqual(expect.arrayContaining(["gateway.auth", "gateway.response"]));
      const raw = receiver.received.map((r) => r.raw).join("\n");
      expect(raw).not.toContain("traced words");
      expect(raw).not.toContain(BUILTIN_SECRET_ACCESS_KEY);
    } finally {
      await receiver.close();
    }
  });

  it("sends nothing when OTEL_SDK_DISABLED=true, and OTEL_SERVICE_NAME names the service", async ({ configFile }) => {
    const receiver = await startReceiver();
    try {
      const off = await serveOneRequest(configFile, {
        OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
        OTEL_SDK_DISABLED: "true",
      });
      expect(off.code).toBe(0);
      expect(off.stderr).not.toContain("traces:");
      // The process has exited: anything it would have sent has been sent.
      expect(receiver.received).toEqual([]);

      const named = await serveOneRequest(configFile, {
        OTEL_TRACES_EXPORTER: "otlp",
        OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${receiver.url}/v1/traces`,
        OTEL_SERVICE_NAME: "team-gateway",
      });
      expect(named.code).toBe(0);
      expect(receiver.received.length).toBeGreaterThan(0);
      expect(new Set(receiver.received.map((r) => r.service))).toEqual(new Set(["team-gateway"]));
    } finally {
      await receiver.close();
    }
  });
});

describe("which variables turn export on", () => {
  plain.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: "http://collector:4318/v1/traces" }, true],
    [{ OTEL_TRACES_EXPORTER: "otlp" }, true],
    [{ OTEL_TRACES_EXPORTER: "console,otlp" }, true],
    [{ OTEL_TRACES_EXPORTER: "none", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }, false],
    [{ OTEL_SDK_DISABLED: "true", OTEL_TRACES_EXPORTER: "otlp" }, false],
    [{ OTEL_SDK_DISABLED: "false", OTEL_EXPORTER_OTLP_ENDPOINT: "http://collector:4318" }, true],
  ])("%j -> %s", (env, expected) => {
    expect(wantsTraceExport(env)).toBe(expected);
  });
});
