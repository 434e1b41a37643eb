/**
 * One call as it moves through the pipeline: what was asked, where it goes (model, client, the operation's input:
 * Converse's, or InvokeModel's for a native Anthropic body), its cancellation and clock, and the retries so far.
 * Made by Pipeline.begin (or beginNative), read by the attempts, the attempt runner and the finish step. When
 * routing arrives (fallbacks, deployments), the target here is what changes between attempts.
 */
import type { BedrockRuntimeClient } from "@aws-sdk/client-bedrock-runtime";
import type { ConverseInput } from "../bedrock/types.js";
import type { CallControl } from "./call-control.js";
import type { CallFacts } from "./completion-log.js";
import type { ModelRuntime } from "./runtime.js";
import type { ChatCompletionRequest } from "./types.js";

/** What the caller asked: a chat request, or the Messages API body sent natively (as sent to Bedrock). */
export type CallRequest = ChatCompletionRequest | Record<string, unknown>;

export class Call<Input = ConverseInput> {
  /** Retries so far (attempts made minus one). */
  retries = 0;
  /** performance.now() when the call started (after translation): latencies count from here. */
  readonly started = performance.now();

  constructor(
    readonly request: CallRequest,
    readonly stream: boolean,
    readonly model: ModelRuntime,
    readonly client: BedrockRuntimeClient,
    readonly input: Input,
    readonly control: CallControl,
  ) {}

  /** What the completion log says about this call. */
  facts(id: string): CallFacts {
    const { request, stream, started, retries } = this;
    return { id, model: this.model.profile.sentId, stream, request, started, retries };
  }
}
