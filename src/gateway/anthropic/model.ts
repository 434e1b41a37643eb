/**
 * The LLM a Messages API request's `model` names (an alias, a section, a Claude model's Anthropic id, a Bedrock
 * id: see ModelRouter), and which way it goes: Claude models natively (the Messages body on InvokeModel), the
 * others through the chat contract and Converse.
 */
import { ConfigError } from "../../errors.js";
import type { LLM } from "../../llm/index.js";
import { listModels, resolveModel } from "../../models/index.js";
import type { GatewayContext } from "../context.js";
import { invalidRequest, modelNotFound } from "./errors.js";

/** Longest model name quoted back in an error: a client's mistake is never echoed at length. */
const MAX_NAME_SHOWN = 100;
/** Names listed in the 404's message before "and N more". */
const MAX_NAMES_LISTED = 20;

export function pickModel(ctx: GatewayContext, name: string): LLM {
  let llm: LLM | undefined;
  try {
    llm = ctx.router.resolve(name);
  } catch (error) {
    // e.g. a Claude id that needs an inference profile the configuration does not give
    if (error instanceof ConfigError) throw invalidRequest(`model: ${error.message}`);
    throw error;
  }
  if (!llm) throw modelNotFound(unknownModelMessage(ctx, name));
  return llm;
}

function unknownModelMessage(ctx: GatewayContext, name: string): string {
  const shown = name.length > MAX_NAME_SHOWN ? `${name.slice(0, MAX_NAME_SHOWN)}...` : name;
  const claude = listModels()
    .filter((model) => model.lifecycle === "active")
    .flatMap((model) => model.anthropicIds?.slice(-1) ?? []);
  const names = [...ctx.router.namedModels(), ...claude];
  const listed = names.slice(0, MAX_NAMES_LISTED).join(", ");
  const more = names.length > MAX_NAMES_LISTED ? ` and ${names.length - MAX_NAMES_LISTED} more` : "";
  return (
    `model: ${JSON.stringify(shown)} is not a model this gateway serves. Use a [llm.NAME] section, a ` +
    `[server.model_aliases] name, a Claude model id or a Bedrock model id: ${listed}${more} (GET /v1/models lists them).`
  );
}

/** What the door needs to know of an LLM's model, known without credentials. */
export interface ModelTraits {
  /** A Claude model: the native Messages body goes to it. */
  claude: boolean;
  /** It takes extended thinking (else Anthropic's `thinking` is left out on the Converse path). */
  thinks: boolean;
  /** Its output limit (a larger max_tokens is lowered to it on the Converse path). */
  maxOutputTokens: number;
  /** It reads documents (Converse document blocks). */
  documents: boolean;
}

const traits = new WeakMap<LLM, ModelTraits>();

export function traitsOf(llm: LLM): ModelTraits {
  let known = traits.get(llm);
  if (!known) {
    const { info } = resolveModel(llm.config);
    known = {
      claude: info.provider === "anthropic",
      thinks: info.thinking !== "none",
      maxOutputTokens: info.maxOutputTokens,
      documents: info.documents,
    };
    traits.set(llm, known);
  }
  return known;
}
