/**
 * `model` is "bedrock/<id>". Without the prefix it is accepted only when it can only mean Bedrock: an id with a
 * Bedrock provider prefix ("anthropic.claude-...", "us.anthropic...") or a Bedrock ARN. Anything else
 * ("openai/gpt-4o", "gpt-4", "claude-3-haiku") is refused with the expected form, because this library only calls
 * Amazon Bedrock and guessing would silently call the wrong model.
 */
import { GEOGRAPHY_PREFIXES } from "../models/geography.js";
import { BEDROCK_PREFIX, parseModelId } from "../models/parse.js";

const BEDROCK_PROVIDERS = [
  "ai21",
  "amazon",
  "anthropic",
  "cohere",
  "deepseek",
  "google",
  "luma",
  "meta",
  "minimax",
  "mistral",
  "moonshot",
  "moonshotai",
  "nvidia",
  "openai",
  "qwen",
  "stability",
  "twelvelabs",
  "writer",
];

const BEDROCK_SHAPED = new RegExp(
  `^(?:(?:${GEOGRAPHY_PREFIXES.join("|")})\\.)?(?:${BEDROCK_PROVIDERS.join("|")})\\.[a-z0-9]`,
);

const EXAMPLE = '"bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0"';

/** Returns "bedrock/<id>" or throws an Error whose message explains the expected form (caller adds location). */
export function normaliseModel(value: string): string {
  const model = value.trim();
  if (model.startsWith(BEDROCK_PREFIX)) {
    parseModelId(model); // throws on an empty id or a malformed ARN
    return model;
  }
  if (model.startsWith("arn:aws") && model.includes(":bedrock:")) {
    parseModelId(model);
    return `${BEDROCK_PREFIX}${model}`;
  }
  if (BEDROCK_SHAPED.test(model)) return `${BEDROCK_PREFIX}${model}`;
  const slash = model.indexOf("/");
  if (slash > 0) {
    const provider = model.slice(0, slash);
    throw new Error(
      `names the "${provider}" provider, but bedrock-llm only calls Amazon Bedrock: use "bedrock/<Bedrock model id>", e.g. ${EXAMPLE}`,
    );
  }
  throw new Error(
    `is ambiguous: it is not a Bedrock model id (those look like "anthropic.claude-...", "us.anthropic..." or an ARN). Use "bedrock/<Bedrock model id>", e.g. ${EXAMPLE}`,
  );
}
