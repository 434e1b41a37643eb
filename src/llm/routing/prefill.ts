/**
 * Stream recovery continues a broken reply on another deployment by sending what was delivered as the start of
 * the assistant's turn (a prefill), which the model continues. Claude accepts a prefill up to Claude 4.5; Claude
 * 4.6 and later refuse it with a 400, and no Claude takes one with extended thinking on. Other models are not
 * relied on to continue a prefill.
 */
import type { ModelProfile } from "../../bedrock/types.js";
import type { ChatCompletionRequest, ChatMessage } from "../types.js";

/** claude-3, claude-3.5, claude-4.5 ... as the registry names families. */
const CLAUDE_FAMILY = /^claude-(\d+)(?:\.(\d+))?$/;

export function acceptsPrefill(profile: ModelProfile, request: ChatCompletionRequest): boolean {
  const { info, settings } = profile;
  const family = CLAUDE_FAMILY.exec(info.family);
  if (info.provider !== "anthropic" || !family) return false;
  const version = Number(family[1]) + Number(family[2] ?? 0) / 10;
  const thinking =
    request.reasoning_effort != null || settings.reasoning_effort !== undefined || settings.thinking_budget_tokens;
  return version < 4.6 && !thinking;
}

/** The request's messages with `text` as the start of the assistant's reply (after a prefill of its own, if any). */
export function withPrefill(messages: ChatMessage[], text: string): ChatMessage[] {
  const last = messages[messages.length - 1];
  if (last?.role === "assistant" && typeof last.content === "string" && !last.tool_calls?.length) {
    return [...messages.slice(0, -1), { ...last, content: last.content + text }];
  }
  return [...messages, { role: "assistant", content: text }];
}
