/** Bedrock Runtime's REST paths. Model ids arrive URL-encoded (`%3A`, `%2F` in ARNs) or raw; both are accepted. */
import type { RuntimeOperation } from "./types.js";

export interface RuntimeRoute {
  operation: RuntimeOperation;
  modelId?: string;
  guardrailIdentifier?: string;
  guardrailVersion?: string;
}

const MODEL_OPERATIONS: Record<string, RuntimeOperation> = {
  converse: "Converse",
  "converse-stream": "ConverseStream",
  invoke: "InvokeModel",
  "invoke-with-response-stream": "InvokeModelWithResponseStream",
  "count-tokens": "CountTokens",
};

const MODEL_PATH = /^\/model\/(.+)\/(converse|converse-stream|invoke|invoke-with-response-stream|count-tokens)$/;
const GUARDRAIL_PATH = /^\/guardrail\/([^/]+)\/version\/([^/]+)\/apply$/;

function decode(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The operation a POST path names, or undefined (UnknownOperationException). */
export function matchRuntimeRoute(rawPath: string): RuntimeRoute | undefined {
  const model = MODEL_PATH.exec(rawPath);
  if (model?.[1] && model[2]) {
    const modelId = decode(model[1]);
    const operation = MODEL_OPERATIONS[model[2]];
    return modelId && operation ? { operation, modelId } : undefined;
  }
  const guardrail = GUARDRAIL_PATH.exec(rawPath);
  if (guardrail?.[1] && guardrail[2]) {
    const guardrailIdentifier = decode(guardrail[1]);
    const guardrailVersion = decode(guardrail[2]);
    if (!guardrailIdentifier || !guardrailVersion) return undefined;
    return { operation: "ApplyGuardrail", guardrailIdentifier, guardrailVersion };
  }
  return undefined;
}

export function isStreamingOperation(operation: string): boolean {
  return operation === "ConverseStream" || operation === "InvokeModelWithResponseStream";
}
