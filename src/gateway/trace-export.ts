/**
 * Trace export for `serve`, configured by the standard OpenTelemetry variables: when OTEL_TRACES_EXPORTER names
 * otlp, or an OTLP endpoint is set (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT), and
 * OTEL_SDK_DISABLED is not true, an SDK is registered: a NodeTracerProvider (context manager, W3C propagation,
 * OTEL_TRACES_SAMPLER) with a BatchSpanProcessor (OTEL_BSP_*) and the OTLP/HTTP exporter (OTEL_EXPORTER_OTLP_*:
 * endpoint, headers, timeout). The SDK's modules are imported only then: a gateway that exports nothing loads none
 * of them. service.name is OTEL_SERVICE_NAME (or OTEL_RESOURCE_ATTRIBUTES'), else "bedrock-llm-gateway".
 */

export const DEFAULT_SERVICE_NAME = "bedrock-llm-gateway";

export interface TraceExport {
  /** Where spans go (for the start-up line). */
  readonly endpoint: string;
  /** Sends the spans still buffered and stops the exporter; call once, at shutdown. */
  shutdown(): Promise<void>;
}

/** Whether the environment asks for OTLP trace export. */
export function wantsTraceExport(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === "true") return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.split(",").map((name) => name.trim().toLowerCase());
  if (exporters?.some((name) => name !== "")) return exporters.includes("otlp");
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/** Registers the SDK when the environment asks for it; undefined otherwise. */
export async function startTraceExport(env: NodeJS.ProcessEnv): Promise<TraceExport | undefined> {
  if (!wantsTraceExport(env)) return undefined;
  const serviceVersion = await packageVersion();
  const [{ NodeTracerProvider }, { BatchSpanProcessor }, { OTLPTraceExporter }, resources] = await Promise.all([
    import("@opentelemetry/sdk-trace-node"),
    import("@opentelemetry/sdk-trace-base"),
    import("@opentelemetry/exporter-trace-otlp-http"),
    import("@opentelemetry/resources"),
  ]);
  const ours = resources.resourceFromAttributes({
    "service.name": DEFAULT_SERVICE_NAME,
    ...(serviceVersion && { "service.version": serviceVersion }),
  });
  // Later merges win: the environment's service.name and attributes over ours, ours over the SDK's defaults.
  const resource = resources
    .defaultResource()
    .merge(ours)
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  // The exporter reads OTEL_EXPORTER_OTLP_* itself (endpoint, headers, timeout, compression).
  const provider = new NodeTracerProvider({
    resource,
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())],
  });
  provider.register();
  return { endpoint: tracesEndpoint(env), shutdown: () => provider.shutdown() };
}

/** This package's version (src/ and dist/ are both two levels below package.json). */
async function packageVersion(): Promise<string | undefined> {
  try {
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(new URL("../../package.json", import.meta.url), "utf8");
    return (JSON.parse(text) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The URL the exporter posts to, as it derives it (for the start-up line; never with headers or credentials). */
function tracesEndpoint(env: NodeJS.ProcessEnv): string {
  const own = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT;
  const url = own || (base ? `${base.replace(/\/+$/, "")}/v1/traces` : "http://localhost:4318/v1/traces");
  try {
    const parsed = new URL(url);
    parsed.username = "";
    parsed.password = "";
    parsed.search = "";
    return parsed.toString();
  } catch {
    return "(invalid URL)";
  }
}
