/**
 * Bedrock Runtime's REST paths. Model ids arrive URL-encoded (`%3A`, `%2F` in ARNs) or with a raw ":"; both are
 * accepted. A raw "/" splits the id over path segments, which Bedrock does not route.
 */
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

const OPERATIONS = "converse|converse-stream|invoke|invoke-with-response-stream|count-tokens";
const MODEL_PATH = new RegExp(`^/model/([^/]+)/(${OPERATIONS})$`);
/** A model id whose "/" was not percent-encoded spreads over several path segments. */
const SPLIT_MODEL_PATH = new RegExp(`^/model/[^/]+(/[^/]+)+/(${OPERATIONS})$`);

/**
 * What Bedrock answers, with HTTP 200, when an ARN's "/" reaches it unencoded: Coral's UnknownOperationException
 * envelope (recorded in bedrock-fixtures: issue-17523-unknown-operation.json, on Converse and ConverseStream).
 */
export const SPLIT_MODEL_PATH_ANSWER = {
  Output: { __type: "com.amazon.coral.service#UnknownOperationException" },
  Version: "1.0",
};

export function isSplitModelPath(rawPath: string): boolean {
  return SPLIT_MODEL_PATH.test(rawPath);
}
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
