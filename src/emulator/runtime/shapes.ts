/**
 * Converse request shapes as they arrive on the wire (JSON), loosely typed: the runtime validates them itself,
 * the way Bedrock does, instead of trusting a client-side type.
 */

export interface CachePoint {
  type?: string;
  ttl?: string;
}

export interface ReasoningContent {
  reasoningText?: { text?: string; signature?: string };
  redactedContent?: string;
}

export interface ToolUse {
  toolUseId?: string;
  name?: string;
  input?: unknown;
}

export interface ToolResult {
  toolUseId?: string;
  content?: ContentBlock[];
  status?: string;
}

export interface S3Location {
  uri?: string;
  bucketOwner?: string;
}

export interface MediaSource {
  bytes?: string;
  s3Location?: S3Location;
}

export interface DocumentSource extends MediaSource {
  text?: string;
  content?: { text?: string }[];
}

export interface DocumentBlock {
  format?: string;
  name?: string;
  source?: DocumentSource;
  context?: string;
  citations?: { enabled?: boolean };
}

export interface ContentBlock {
  text?: string;
  image?: { format?: string; source?: MediaSource };
  document?: DocumentBlock;
  video?: { format?: string; source?: MediaSource };
  toolUse?: ToolUse;
  toolResult?: ToolResult;
  reasoningContent?: ReasoningContent;
  cachePoint?: CachePoint;
  guardContent?: { text?: { text?: string } };
  json?: unknown;
  /** Replies only: text with the citations that support it. */
  citationsContent?: CitationsContent;
}

export interface Citation {
  title?: string;
  sourceContent?: { text: string }[];
  location?: Record<string, { documentIndex: number; start: number; end: number }>;
}

export interface CitationsContent {
  content: { text: string }[];
  citations: Citation[];
}

export interface Message {
  role?: string;
  content?: ContentBlock[];
}

export interface ToolEntry {
  toolSpec?: { name?: string; description?: string; inputSchema?: { json?: unknown } };
  cachePoint?: CachePoint;
}

export interface ToolChoice {
  auto?: object;
  any?: object;
  tool?: { name?: string };
}

export interface GuardrailConfig {
  guardrailIdentifier?: string;
  guardrailVersion?: string;
  trace?: string;
  streamProcessingMode?: string;
}

/**
 * Marks a body translated from the native Anthropic Messages API, whose rules differ from Converse's in small ways
 * (a tool_result may be empty). A symbol, so no JSON request can set it.
 */
export const ANTHROPIC_NATIVE: unique symbol = Symbol("anthropic native body");

export interface ConverseBody {
  [ANTHROPIC_NATIVE]?: true;
  messages?: Message[];
  system?: ContentBlock[];
  inferenceConfig?: { maxTokens?: number; temperature?: number; topP?: number; stopSequences?: string[] };
  toolConfig?: { tools?: ToolEntry[]; toolChoice?: ToolChoice };
  guardrailConfig?: GuardrailConfig;
  additionalModelRequestFields?: Record<string, unknown>;
  additionalModelResponseFieldPaths?: unknown[];
  requestMetadata?: unknown;
  outputConfig?: {
    effort?: string;
    textFormat?: { type?: string; structure?: { jsonSchema?: { schema?: string; name?: string } } };
  };
  serviceTier?: { type?: string };
  performanceConfig?: { latency?: string };
}

/** The reply the model produced, before it is rendered for Converse, a stream or a native body. */
export interface Usage {
  inputTokens: number;
  outputTokens: number;
  totalTokens: number;
  cacheReadInputTokens: number;
  cacheWriteInputTokens: number;
  cacheDetails?: { ttl: string; inputTokens: number }[];
}

export interface Turn {
  content: ContentBlock[];
  stopReason: string;
  usage: Usage;
  latencyMs: number;
  trace?: Record<string, unknown>;
  serviceTier?: { type: string };
  performanceConfig?: { latency: string };
  /** The stop sequence that ended the reply, for native bodies. */
  stopSequence?: string;
  /** Paced stream: the text goes out one word per content event at this rate (pacing.ts). */
  pace?: { eventsPerSecond: number };
  /** Fields selected by additionalModelResponseFieldPaths, for Converse and for the stream's messageStop. */
  responseFields?: { final?: Record<string, unknown>; streamed?: Record<string, unknown> };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
