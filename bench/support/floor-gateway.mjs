// The floor of a Node gateway in front of Bedrock, for bench/floor.bench.mjs: the least work any gateway written for
// Node does per call, with nothing of this project's code. Run as its own process:
//   node bench/support/floor-gateway.mjs EMULATOR_URL relay|minimal|minimal-redis [REDIS_URL]
//                                                                    (prints its URL on stdout)
// relay:   node:http in, node:http2 out over one session. The client's request (already signed for the emulator)
//          goes through unchanged and the reply comes back unchanged: the transport alone.
// minimal: an OpenAI chat completion in (JSON or SSE, `stream: true`): one API key compared, the body parsed and
//          mapped to Converse, signed with SigV4 (@smithy/signature-v4, as the AWS SDK signs), sent over the
//          session; the Converse reply parsed and answered as a chat.completion, or the ConverseStream frames
//          decoded (@smithy/eventstream-codec, CRCs checked) and each event written as an SSE chunk. No validation
//          beyond JSON, no limits, no logs, no metrics, no retries, no timeouts: what no production gateway leaves
//          out, so what it costs here is below what any of them costs.
// minimal-redis: the minimal gateway with the least an exact limit shared through Redis takes: one Lua script per
//          request (count the request in this minute's counter, refuse past the limit), sent as the request arrives
//          and awaited before the Bedrock call goes out, with the official client (node-redis).
import { createServer } from "node:http";
import { connect } from "node:http2";
import { EventStreamCodec } from "@smithy/eventstream-codec";
import { Hash } from "@smithy/hash-node";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { fromUtf8, toUtf8 } from "@smithy/util-utf8";

const [emulatorUrl, mode, redisUrl] = process.argv.slice(2);
if (
  !URL.canParse(emulatorUrl ?? "") ||
  !["relay", "minimal", "minimal-redis"].includes(mode) ||
  (mode === "minimal-redis") !== (redisUrl !== undefined)
) {
  console.error(
    "usage: node bench/support/floor-gateway.mjs EMULATOR_URL relay|minimal|minimal-redis [REDIS_URL] (REDIS_URL with minimal-redis only)",
  );
  process.exit(2);
}
const API_KEY = "sk-bench";
const MODEL_ID = "us.anthropic.claude-sonnet-4-5-20250929-v1:0";
const upstream = new URL(emulatorUrl);
const session = connect(upstream.origin);
session.on("error", (e) => {
  console.error(`floor gateway: the session to the emulator failed: ${e.message}`);
  process.exit(1);
});
const signer = new SignatureV4({
  service: "bedrock",
  region: "us-east-1",
  credentials: { accessKeyId: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
  sha256: Hash.bind(null, "sha256"),
});
const codec = new EventStreamCodec(toUtf8, fromUtf8);

const LIMIT_SCRIPT = `local n = redis.call("INCR", KEYS[1])
if n == 1 then redis.call("PEXPIRE", KEYS[1], 120000) end
if n > tonumber(ARGV[1]) then return 0 end
return 1`;
// Loaded only for this mode, so that the other floors carry none of it.
const redis =
  mode === "minimal-redis" ? await (await import("redis")).createClient({ url: redisUrl }).connect() : undefined;
const limitSha = redis ? await redis.scriptLoad(LIMIT_SCRIPT) : undefined;
/** This minute's request counter, checked and taken in one round trip; resolves false past the (high) limit. */
const admit = async () =>
  (await redis.evalSha(limitSha, {
    keys: [`floor:rpm:${Math.floor(Date.now() / 60_000)}`],
    arguments: ["1000000000"],
  })) === 1;

/** The request's body, whole. */
const readBody = (req) =>
  new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });

const HOP_BY_HOP = new Set(["host", "connection", "keep-alive", "transfer-encoding", "upgrade"]);

async function relay(req, res) {
  const body = await readBody(req);
  const headers = { ":method": req.method, ":path": req.url, ":authority": upstream.host };
  for (const [name, value] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(name)) headers[name] = value;
  const out = session.request(headers);
  out.on("response", (h) => {
    res.writeHead(h[":status"], { "content-type": h["content-type"] ?? "application/octet-stream" });
    out.pipe(res);
  });
  out.on("error", () => res.destroy());
  out.end(body);
}

/**
 * Sends a Converse / ConverseStream request, signed, once `admitted` (if any) says yes; resolves with the h2 stream
 * once its headers are in, or with no stream when refused.
 */
async function converse(messages, maxTokens, stream, admitted) {
  const body = JSON.stringify({ messages, inferenceConfig: { maxTokens } });
  const path = `/model/${encodeURIComponent(MODEL_ID)}/${stream ? "converse-stream" : "converse"}`;
  const signed = await signer.sign(
    new HttpRequest({
      method: "POST",
      protocol: upstream.protocol,
      hostname: upstream.hostname,
      port: Number(upstream.port) || undefined,
      path,
      headers: { host: upstream.host, "content-type": "application/json" },
      body,
    }),
  );
  const headers = { ":method": "POST", ":path": path, ":authority": upstream.host };
  for (const [name, value] of Object.entries(signed.headers)) if (name !== "host") headers[name] = value;
  if (admitted && !(await admitted)) return { out: undefined, status: 429 };
  const out = session.request(headers);
  out.end(body);
  return new Promise((resolve, reject) => {
    out.once("response", (h) => resolve({ out, status: h[":status"] }));
    out.once("error", reject);
  });
}

const error = (res, status, message) => {
  const body = JSON.stringify({ error: { message, type: "invalid_request_error" } });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
};

async function chatCompletion(req, res) {
  if (req.headers.authorization !== `Bearer ${API_KEY}`) return error(res, 401, "invalid API key");
  const admitted = redis ? admit() : undefined;
  const request = JSON.parse(await readBody(req));
  const messages = request.messages.map((m) => ({ role: m.role, content: [{ text: m.content }] }));
  const { out, status } = await converse(messages, request.max_tokens, request.stream === true, admitted);
  if (status === 429) return error(res, 429, "rate limit reached");
  if (status !== 200) return error(res, 502, `Bedrock answered ${status}`);
  const id = `chatcmpl-${Date.now().toString(36)}`;
  const created = Math.floor(Date.now() / 1000);
  if (!request.stream) {
    const reply = JSON.parse(await readBody(out));
    const body = JSON.stringify({
      id,
      object: "chat.completion",
      created,
      model: request.model,
      choices: [
        {
          index: 0,
          message: { role: "assistant", content: reply.output.message.content.map((b) => b.text ?? "").join("") },
          finish_reason: reply.stopReason === "max_tokens" ? "length" : "stop",
        },
      ],
      usage: {
        prompt_tokens: reply.usage.inputTokens,
        completion_tokens: reply.usage.outputTokens,
        total_tokens: reply.usage.totalTokens,
      },
    });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache" });
  const chunk = (delta, finish, usage) =>
    `data: ${JSON.stringify({
      id,
      object: "chat.completion.chunk",
      created,
      model: request.model,
      choices: usage ? [] : [{ index: 0, delta, finish_reason: finish }],
      ...(usage && { usage }),
    })}\n\n`;
  let held = Buffer.alloc(0);
  out.on("data", (data) => {
    held = held.length ? Buffer.concat([held, data]) : data;
    while (held.length >= 4) {
      const length = held.readUInt32BE(0);
      if (held.length < length) break;
      const message = codec.decode(held.subarray(0, length));
      held = held.subarray(length);
      const event = JSON.parse(toUtf8(message.body));
      switch (message.headers[":event-type"]?.value) {
        case "messageStart":
          res.write(chunk({ role: "assistant", content: "" }, null));
          break;
        case "contentBlockDelta":
          if (event.delta.text !== undefined) res.write(chunk({ content: event.delta.text }, null));
          break;
        case "messageStop":
          res.write(chunk({}, event.stopReason === "max_tokens" ? "length" : "stop"));
          break;
        case "metadata":
          res.write(
            chunk(null, null, {
              prompt_tokens: event.usage.inputTokens,
              completion_tokens: event.usage.outputTokens,
              total_tokens: event.usage.totalTokens,
            }),
          );
          break;
      }
    }
  });
  out.on("end", () => res.end("data: [DONE]\n\n"));
  out.on("error", () => res.destroy());
}

const handle = mode === "relay" ? relay : chatCompletion;
const server = createServer({ keepAliveTimeout: 60_000 }, (req, res) => {
  handle(req, res).catch((e) => (res.headersSent ? res.destroy() : error(res, 500, e.message)));
});
server.listen(0, "127.0.0.1", () => console.log(`http://127.0.0.1:${server.address().port}`));
process.once("SIGTERM", () => {
  server.close();
  session.close();
  redis?.destroy();
  process.exit(0);
});
