/** The server itself: both protocols on one port, keep-alive, large bodies, routing details, clean close. */
import http from "node:http";
import http2 from "node:http2";
import { describe, expect } from "vitest";
import { type RunningEmulator, startEmulator } from "../../src/emulator/index.js";
import { it } from "../support/fixtures.js";
import { converseBody, encodedModelPath, signedFetch } from "./helpers.js";

function http2Request(
  session: http2.ClientHttp2Session,
  path: string,
  body?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({
      ":method": body === undefined ? "GET" : "POST",
      ":path": path,
      "content-type": "application/json",
    });
    let status = 0;
    let text = "";
    stream.on("response", (headers) => {
      status = Number(headers[":status"]);
    });
    stream.setEncoding("utf8");
    stream.on("data", (chunk: string) => {
      text += chunk;
    });
    stream.on("end", () => resolve({ status, body: text }));
    stream.on("error", reject);
    stream.end(body);
  });
}

function http1Request(
  emulator: RunningEmulator,
  agent: http.Agent,
  path: string,
): Promise<{ status: number; reusedSocket: boolean }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${emulator.url}${path}`, { agent }, (response) => {
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode ?? 0, reusedSocket: request.reusedSocket }));
    });
    request.on("error", reject);
  });
}

describe("one port, two protocols", () => {
  it("serves HTTP/2 with prior knowledge and HTTP/1.1 side by side", async ({ emulator, control }) => {
    const session = http2.connect(emulator.url);
    try {
      const viaHttp2 = await http2Request(session, "/_emulator/responses", JSON.stringify({ text: "from h2" }));
      expect(viaHttp2).toEqual({ status: 200, body: JSON.stringify({ ok: true, queued: 1 }) });
      const viaHttp1 = await control.send("responses", { text: "from h1" });
      expect(await viaHttp1.json()).toEqual({ ok: true, queued: 2 });
      expect(emulator.state.scripted.map((s) => s.text)).toEqual(["from h2", "from h1"]);
    } finally {
      session.close();
    }
  });

  it("keeps HTTP/1.1 connections alive between requests", async ({ emulator }) => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      expect(await http1Request(emulator, agent, "/_emulator/requests")).toEqual({ status: 200, reusedSocket: false });
      expect(await http1Request(emulator, agent, "/_emulator/requests")).toEqual({ status: 200, reusedSocket: true });
    } finally {
      agent.destroy();
    }
  });

  it("reads multi-megabyte bodies intact over both protocols", async ({ emulator, control }) => {
    const text = "x".repeat(3 * 1024 * 1024);
    const response = await control.send("responses", { text });
    expect(response.status).toBe(200);
    const session = http2.connect(emulator.url);
    try {
      const viaHttp2 = await http2Request(session, "/_emulator/responses", JSON.stringify({ text }));
      expect(viaHttp2.status).toBe(200);
    } finally {
      session.close();
    }
    expect(emulator.state.scripted.map((s) => s.text?.length)).toEqual([text.length, text.length]);
  });
});

describe("routing", () => {
  it("decodes model ids, including ARNs with an encoded slash", async ({ emulator }) => {
    const arn = "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/abc123";
    await signedFetch(emulator, { path: encodedModelPath(arn, "converse"), body: JSON.stringify(converseBody("Hi")) });
    expect(emulator.state.requests[0]).toMatchObject({ operation: "Converse", modelId: arn });
  });

  it("routes ApplyGuardrail with its path parameters", async ({ emulator }) => {
    const response = await signedFetch(emulator, {
      path: "/guardrail/missing-guardrail/version/1/apply",
      body: JSON.stringify({ source: "INPUT", content: [{ text: { text: "hello" } }] }),
    });
    expect(response.status).toBe(404);
    expect(response.headers.get("x-amzn-errortype")).toBe("ResourceNotFoundException");
    expect(emulator.state.requests[0]).toMatchObject({ operation: "ApplyGuardrail", status: 404 });
  });

  it("refuses a body that is not JSON with SerializationException", async ({ emulator }) => {
    const response = await signedFetch(emulator, { path: encodedModelPath("m", "converse"), body: "{not json" });
    expect(response.status).toBe(400);
    expect(response.headers.get("x-amzn-errortype")).toBe("SerializationException");
  });
});

describe("close()", () => {
  it("ends idle HTTP/1.1 and HTTP/2 connections and stops listening", async () => {
    const own = await startEmulator({ port: 0 });
    const agent = new http.Agent({ keepAlive: true });
    const session = http2.connect(own.url);
    await http2Request(session, "/_emulator/requests");
    const sessionClosed = new Promise<void>((resolve) => session.once("close", () => resolve()));
    await new Promise<void>((resolve, reject) => {
      http.get(`${own.url}/_emulator/requests`, { agent }, (r) => r.resume().on("end", resolve)).on("error", reject);
    });
    await own.close();
    await sessionClosed;
    await expect(fetch(`${own.url}/_emulator/requests`)).rejects.toThrow();
    agent.destroy();
  });
});
