/**
 * A front door: one API the gateway speaks (OpenAI chat completions today; Anthropic Messages, OpenAI Responses
 * and embeddings next), in one module that translates that API to the LLM facade and back. Every door is mounted
 * behind the same middleware (API keys, body limit, and the access log and metrics around them), so a new door is
 * its module plus one line in FRONT_DOORS.
 */
import type { Handler } from "hono";
import { chatCompletionsDoor } from "./chat-completions.js";
import type { GatewayContext, GatewayEnv } from "./context.js";
import { responsesDoors } from "./responses/door.js";

export interface FrontDoor {
  method: "POST" | "GET" | "DELETE";
  path: string;
  /** The route's handler over the gateway's shared context. */
  handler(ctx: GatewayContext): Handler<GatewayEnv>;
}

export const FRONT_DOORS: readonly FrontDoor[] = [chatCompletionsDoor, ...responsesDoors];
