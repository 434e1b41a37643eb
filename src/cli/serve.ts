/** `bedrock-llm serve`: the OpenAI-compatible gateway in the foreground; SIGTERM/Ctrl-C drain, then exit. */
import type { Command } from "commander";
import { startGateway } from "../gateway/index.js";
import { startTraceExport } from "../gateway/trace-export.js";
import { loadCliConfig } from "./config-source.js";
import { runAction, UsageError } from "./exit.js";
import { listenFailure } from "./listen-error.js";

interface ServeOptions {
  config?: string;
  host?: string;
  port?: string;
}

const EXAMPLES = `
Examples:
  $ bedrock-llm serve -c config.toml                       # http://127.0.0.1:8080/v1
  $ BEDROCK_LLM_API_KEYS=sk-local-1 bedrock-llm serve -c config.toml --host 0.0.0.0 --port 9000
  $ curl -s localhost:8080/v1/chat/completions -H 'content-type: application/json' \\
      -d '{"model":"default","messages":[{"role":"user","content":"Hi"}]}'

The model name picks a [llm.NAME] section ("default" is [llm]) or a model id from GET /v1/models.
Binding beyond loopback requires API keys ([server] api_keys or BEDROCK_LLM_API_KEYS).
One JSON access-log line per request goes to stderr. Traces go out by OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT
(or OTEL_TRACES_EXPORTER=otlp) is set.`;

export function registerServe(program: Command): void {
  program
    .command("serve")
    .summary("run the OpenAI-compatible gateway")
    .description(
      "Serve Bedrock through the OpenAI chat-completions and Responses APIs (/v1/chat/completions, /v1/responses, /v1/models, /healthz, /metrics).",
    )
    .option("-c, --config <file>", "configuration file (default ./config.toml, then $BEDROCK_LLM_CONFIG)")
    .option("--host <host>", "interface to bind (default [server] host, 127.0.0.1)")
    .option("--port <port>", "port to listen on, 0 for a free one (default [server] port, 8080)")
    .addHelpText("after", EXAMPLES)
    .action(runAction(serve));
}

async function serve(options: ServeOptions): Promise<void> {
  const port = options.port === undefined ? undefined : Number(options.port);
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    throw new UsageError(`--port must be an integer from 0 to 65535, got "${options.port}"`);
  }
  const config = await loadCliConfig(options);
  // Registered before the gateway starts, so that its first request is traced.
  const traces = await startTraceExport(process.env);
  const gateway = await startGateway(config, {
    ...(options.host !== undefined && { host: options.host }),
    ...(port !== undefined && { port }),
  }).catch((error: unknown) => {
    const target = { host: options.host ?? config.server.host, port: port ?? config.server.port };
    throw listenFailure(error, { ...target, portSetting: "[server] port" }) ?? error;
  });
  process.stdout.write(`bedrock-llm gateway listening on ${gateway.url} (OpenAI base URL ${gateway.url}/v1)\n`);
  if (traces) process.stderr.write(`traces: OTLP/HTTP to ${traces.endpoint}\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stderr.write(`${signal}: draining requests in flight, then exiting\n`);
      // The spans of the last requests leave before the process does.
      void gateway
        .close()
        .then(() => traces?.shutdown())
        .catch(() => {})
        .then(resolve);
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
