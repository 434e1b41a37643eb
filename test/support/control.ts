/**
 * A client for the emulator's control API (/_emulator/...): faults, scripted replies, paced streams, guardrails,
 * refused tokens, extra API keys, S3 objects, application inference profiles, the request log and reset. Every call but `send` fails the test on a non-2xx answer.
 */
import type {
  FaultRule,
  GuardrailDefinition,
  PaceRule,
  QuotaRule,
  RecordedRequest,
  ScriptedResponse,
} from "../../src/emulator/index.js";

/** POST /_emulator/faults: the emulator fills in operation "*" and count 1; a fault needs an error or a delay. */
export type FaultInput = Partial<FaultRule>;
/** POST /_emulator/quotas: operation defaults to "*". */
export type QuotaInput = Omit<QuotaRule, "operation"> & { operation?: QuotaRule["operation"] };
/** POST /_emulator/pace: operation defaults to "*" (both stream operations). */
export type PaceInput = Omit<PaceRule, "operation"> & { operation?: PaceRule["operation"] };
/** POST /_emulator/guardrails: version defaults to DRAFT. */
export type GuardrailInput = Omit<GuardrailDefinition, "version"> & { version?: string };

export class EmulatorControl {
  constructor(readonly url: string) {}

  /**
   * Injects a fault (an AWS error or a connection fault, a delay, or both) into the next `count` matching calls
   * (of a region, access key or model when it says, with a probability when it gives one).
   */
  fault(rule: FaultInput): Promise<void> {
    return this.post("faults", rule);
  }

  /** Limits matching calls to `callsPerSecond`; the calls beyond get ThrottlingException. */
  quota(rule: QuotaInput): Promise<void> {
    return this.post("quotas", rule);
  }

  /** Queues scripted replies, consumed in order by model calls. */
  respond(replies: ScriptedResponse | ScriptedResponse[]): Promise<void> {
    return this.post("responses", replies);
  }

  /** Paces the next stream events (all streams, or `count` of them) at `eventsPerSecond`. */
  pace(rule: PaceInput): Promise<void> {
    return this.post("pace", rule);
  }

  async clearPace(): Promise<void> {
    const response = await fetch(`${this.url}/_emulator/pace`, { method: "DELETE" });
    if (!response.ok) throw new Error(`DELETE /_emulator/pace: ${response.status} ${await response.text()}`);
    await response.body?.cancel();
  }

  guardrail(definition: GuardrailInput): Promise<void> {
    return this.post("guardrails", definition);
  }

  /** Makes STS refuse this web identity token. */
  refuseWebIdentityToken(token: string): Promise<void> {
    return this.post("web-identity/invalid", { token });
  }

  /** Makes the SSO portal refuse this access token. */
  refuseSsoToken(token: string): Promise<void> {
    return this.post("sso/invalid", { token });
  }

  /** Accepts one more Bedrock API key (the built-in one is always accepted). */
  addApiKey(key: string): Promise<void> {
    return this.post("api-keys", { key });
  }

  /** Puts an object into the emulator's S3 (image, document and video sources), text or base64. */
  putS3Object(object: { uri: string; text?: string; base64?: string; owner?: string }): Promise<void> {
    return this.post("s3-objects", object);
  }

  /** Makes an application inference profile from a model or system profile; resolves to its ARN. */
  async createInferenceProfile(profile: { name: string; copyFrom: string; region?: string }): Promise<string> {
    const response = await this.send("inference-profiles", profile);
    if (!response.ok)
      throw new Error(`POST /_emulator/inference-profiles: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { inferenceProfileArn: string }).inferenceProfileArn;
  }

  /** The requests the emulator received (no secrets), oldest first; only `operation`'s when given. */
  async requests(operation?: string): Promise<RecordedRequest[]> {
    const query = operation ? `?operation=${encodeURIComponent(operation)}` : "";
    const response = await this.send(`requests${query}`);
    if (!response.ok) throw new Error(`GET /_emulator/requests: ${response.status} ${await response.text()}`);
    return ((await response.json()) as { requests: RecordedRequest[] }).requests;
  }

  /** Forgets faults, scripts, pacing, guardrails, refused tokens, added keys, the request log and the prompt cache. */
  reset(): Promise<void> {
    return this.post("reset", {});
  }

  /** The raw exchange, for tests of the control API itself: GET without a body, POST with one. */
  send(path: string, body?: unknown): Promise<Response> {
    return fetch(`${this.url}/_emulator/${path}`, {
      method: body === undefined ? "GET" : "POST",
      headers: { "content-type": "application/json" },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  }

  private async post(path: string, body: unknown): Promise<void> {
    const response = await this.send(path, body);
    if (!response.ok) throw new Error(`POST /_emulator/${path}: ${response.status} ${await response.text()}`);
    await response.body?.cancel();
  }
}
