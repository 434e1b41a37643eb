/**
 * A front door: one API the gateway speaks (OpenAI chat completions, Anthropic Messages, OpenAI Responses,
 * embeddings), in one module that translates that API to the LLM facade and back. Every door is mounted
 * behind the same middleware (API keys, body limit, and the access log and metrics around them), so a new door is
 * its module plus one line in FRONT_DOORS.
 */
import type { Handler } from "hono";
import { countTokensDoor, messagesDoor } from "./anthropic/messages.js";
import { chatCompletionsDoor } from "./chat-completions.js";
import type { GatewayContext, GatewayEnv } from "./context.js";
import { embeddingsDoor } from "./embeddings.js";
import { responsesDoors } from "./responses/door.js";

export interface FrontDoor {
  method: "POST" | "GET" | "DELETE";
  path: string;
  /** The route's handler over the gateway's shared context. */
  handler(ctx: GatewayContext): Handler<GatewayEnv>;
  /**
   * The door's own error format, for anything thrown on its path (the key check and body limit before it too);
   * OpenAI's format when absent.
   */
  toError?: (error: unknown) => ErrorAnswer;
}

/** What an error answer needs, in any door's format (GatewayError is OpenAI's). */
export interface ErrorAnswer {
  readonly status: number;
  /** Counted in /metrics (`errors_total{kind}`) and written to the access log. */
  readonly kind: string;
  readonly headers: Record<string, string>;
  /** The full cause, for the gateway's own log only. */
  readonly operatorDetail: string | undefined;
  body(): unknown;
}

export const FRONT_DOORS: readonly FrontDoor[] = [
  chatCompletionsDoor,
  ...responsesDoors,
  messagesDoor,
  countTokensDoor,
  embeddingsDoor,
];
