/**
 * The accepted shape of POST /v1/responses (OpenAI's Responses API), compiled once at import. Input items, content
 * parts and tools are discriminated unions on `type`, each with a message that names what is not supported, so a
 * client learns at once that, say, `web_search` is OpenAI's hosted tool. Unknown top-level fields are accepted and
 * dropped (`prompt_cache_key`, `safety_identifier`, `client_metadata`, ...), as for chat completions; fields whose
 * meaning the gateway cannot honour (`background`, `conversation`, `prompt`) are refused.
 */
import { z } from "zod";

/** OpenAI clients send null for "not set": accepted, and parsed as absent. */
function orNull<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

/** An item or part's `type`, for messages that name it. */
function typeOf(input: unknown): string {
  const type = typeof input === "object" && input !== null ? (input as { type?: unknown }).type : undefined;
  return typeof type === "string" ? `'${type}'` : "a missing type";
}

const inputText = z.object({ type: z.literal("input_text"), text: z.string() });
const outputText = z.object({ type: z.literal("output_text"), text: z.string() });
const refusal = z.object({ type: z.literal("refusal"), refusal: z.string() });
const inputImage = z.object({
  type: z.literal("input_image"),
  /** A data: URL; Bedrock cannot fetch remote images (the library says so). */
  image_url: orNull(z.string()),
  file_id: orNull(z.string()),
  detail: orNull(z.enum(["low", "high", "auto", "original"])),
});

/**
 * A document: `file_data` (a data: URL or bare base64) with its `filename`, whose extension gives the format.
 * `file_id` and `file_url` are parsed so the refusal can name them (Bedrock has no file store and cannot fetch).
 * Extension: `citations: {enabled: true}` asks the model (Claude) to cite the file.
 */
const inputFile = z.object({
  type: z.literal("input_file"),
  file_data: orNull(z.string()),
  file_id: orNull(z.string()),
  file_url: orNull(z.string()),
  filename: orNull(z.string()),
  citations: orNull(z.object({ enabled: z.boolean() })),
});
export type InputFilePart = z.output<typeof inputFile>;

const contentPart = z.discriminatedUnion("type", [inputText, outputText, refusal, inputImage, inputFile], {
  error: (issue) =>
    `content parts of type ${typeOf(issue.input)} are not supported: use input_text, input_image (a data: URL), input_file (file_data with filename) or output_text`,
});
export type ContentPart = z.output<typeof contentPart>;

const toolOutputPart = z.discriminatedUnion("type", [inputText], {
  error: (issue) => `tool output parts of type ${typeOf(issue.input)} are not supported: send text (input_text)`,
});
const toolOutput = z.union([z.string(), z.array(toolOutputPart)]);

const messageItem = z.object({
  type: z.literal("message"),
  role: z.enum(["user", "assistant", "system", "developer"]),
  content: z.union([z.string(), z.array(contentPart)]),
});

const functionCallItem = z.object({
  type: z.literal("function_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  /** JSON text of the arguments object. */
  arguments: z.string(),
  namespace: orNull(z.string()),
});

const functionCallOutputItem = z.object({
  type: z.literal("function_call_output"),
  call_id: z.string().min(1),
  output: toolOutput,
});

const reasoningItem = z.object({
  type: z.literal("reasoning"),
  summary: z.array(z.object({ type: z.literal("summary_text"), text: z.string() })).default([]),
  /** What this gateway put there: the Bedrock reasoning block, sent back unchanged. */
  encrypted_content: orNull(z.string()),
});

const customToolCallItem = z.object({
  type: z.literal("custom_tool_call"),
  call_id: z.string().min(1),
  name: z.string().min(1),
  input: z.string(),
  namespace: orNull(z.string()),
});

const customToolCallOutputItem = z.object({
  type: z.literal("custom_tool_call_output"),
  call_id: z.string().min(1),
  output: toolOutput,
});

const localShellCallItem = z.object({
  type: z.literal("local_shell_call"),
  call_id: z.string().min(1),
  action: z.object({
    type: z.literal("exec"),
    command: z.array(z.string()),
    working_directory: orNull(z.string()),
    timeout_ms: orNull(z.number()),
    env: orNull(z.record(z.string(), z.string())),
    user: orNull(z.string()),
  }),
});

const localShellCallOutputItem = z.object({
  type: z.literal("local_shell_call_output"),
  /** OpenAI names the call by `id` here; `call_id` is accepted too. */
  id: z.string().min(1),
  call_id: orNull(z.string()),
  output: z.string(),
});

export const INPUT_ITEM_TYPES = [
  "message",
  "function_call",
  "function_call_output",
  "reasoning",
  "custom_tool_call",
  "custom_tool_call_output",
  "local_shell_call",
  "local_shell_call_output",
] as const;

export const inputItemSchema = z.preprocess(
  // An "easy" message ({role, content}) has no type.
  (item) =>
    typeof item === "object" && item !== null && !("type" in item) && "role" in item
      ? { ...item, type: "message" }
      : item,
  z.discriminatedUnion(
    "type",
    [
      messageItem,
      functionCallItem,
      functionCallOutputItem,
      reasoningItem,
      customToolCallItem,
      customToolCallOutputItem,
      localShellCallItem,
      localShellCallOutputItem,
    ],
    {
      error: (issue) =>
        `input items of type ${typeOf(issue.input)} are not supported by this gateway (it accepts ${INPUT_ITEM_TYPES.join(", ")})`,
    },
  ),
);
export type InputItem = z.output<typeof inputItemSchema>;
export type MessageInputItem = z.output<typeof messageItem>;

const functionTool = z.object({
  type: z.literal("function"),
  name: z.string().min(1),
  description: orNull(z.string()),
  parameters: orNull(z.record(z.string(), z.unknown())),
  strict: orNull(z.boolean()),
});
export type FunctionToolParam = z.output<typeof functionTool>;

const customTool = z.object({
  type: z.literal("custom"),
  name: z.string().min(1),
  description: orNull(z.string()),
  /** Free text by default; a grammar is passed to the model in the tool's description. */
  format: orNull(z.looseObject({ type: z.string(), syntax: z.string().optional(), definition: z.string().optional() })),
});
export type CustomToolParam = z.output<typeof customTool>;

const namespaceMember = z.discriminatedUnion("type", [functionTool, customTool], {
  error: (issue) => `a namespace holds function and custom tools, not ${typeOf(issue.input)}`,
});

const namespaceTool = z.object({
  type: z.literal("namespace"),
  name: z.string().min(1),
  description: orNull(z.string()),
  tools: z.array(namespaceMember),
});
export type NamespaceToolParam = z.output<typeof namespaceTool>;

const localShellTool = z.object({ type: z.literal("local_shell") });

export const TOOL_TYPES = ["function", "custom", "namespace", "local_shell"] as const;

const tool = z.discriminatedUnion("type", [functionTool, customTool, namespaceTool, localShellTool], {
  error: (issue) => {
    const type = typeOf(issue.input);
    // Codex CLI offers web search unless told not to: say how.
    const codex = type.startsWith("'web_search") ? ' (Codex CLI: web_search = "disabled" in config.toml)' : "";
    return `tools of type ${type} are not supported: hosted tools (web_search, file_search, code_interpreter, image_generation, computer_use, mcp, ...) run on OpenAI's side and this gateway cannot run them on Amazon Bedrock. Remove it from tools${codex}; this gateway accepts tools of type ${TOOL_TYPES.join(", ")}.`;
  },
});
export type ToolParam = z.output<typeof tool>;

const toolChoice = z.union([
  z.enum(["auto", "none", "required"]),
  z.object({ type: z.literal("function"), name: z.string().min(1) }),
  z.object({ type: z.literal("custom"), name: z.string().min(1) }),
  z.object({
    type: z.literal("allowed_tools"),
    mode: z.enum(["auto", "required"]),
    tools: z.array(z.looseObject({ type: z.string(), name: z.string().optional() })),
  }),
]);
export type ToolChoiceParam = z.output<typeof toolChoice>;

const textFormat = z.discriminatedUnion(
  "type",
  [
    z.object({ type: z.literal("text") }),
    z.object({ type: z.literal("json_object") }),
    z.object({
      type: z.literal("json_schema"),
      name: z.string().min(1),
      schema: z.record(z.string(), z.unknown()),
      description: orNull(z.string()),
      strict: orNull(z.boolean()),
    }),
  ],
  { error: (issue) => `text.format of type ${typeOf(issue.input)} is not one of text, json_object, json_schema` },
);
export type TextFormatParam = z.output<typeof textFormat>;

/** OpenAI's efforts; `none` turns reasoning off and `minimal` is the library's `low`. */
export const RESPONSES_EFFORTS = ["none", "minimal", "low", "medium", "high", "xhigh", "max"] as const;

const notSupported = (what: string) =>
  z
    .unknown()
    .refine((value) => value == null || value === false, { error: `${what} is not supported by this gateway` })
    .optional();

export const responsesRequestSchema = z.object({
  model: z.string().min(1),
  /** A string is one user message. */
  input: z.preprocess(
    (input) => (typeof input === "string" ? [{ type: "message", role: "user", content: input }] : input),
    z.array(inputItemSchema, { error: "must be a string or an array of input items" }),
  ),
  instructions: orNull(z.string()),
  tools: orNull(z.array(tool)),
  tool_choice: orNull(toolChoice),
  parallel_tool_calls: orNull(z.boolean()),
  text: orNull(z.looseObject({ format: orNull(textFormat) })),
  reasoning: orNull(
    z.looseObject({
      effort: orNull(z.enum(RESPONSES_EFFORTS)),
      summary: orNull(z.enum(["auto", "concise", "detailed"])),
    }),
  ),
  max_output_tokens: orNull(z.number().int().positive()),
  temperature: orNull(z.number().min(0).max(2)),
  top_p: orNull(z.number().min(0).max(1)),
  metadata: orNull(
    z
      .record(z.string().max(64), z.string().max(512))
      .refine((m) => Object.keys(m).length <= 16, { error: "at most 16 keys" }),
  ),
  user: orNull(z.string()),
  store: orNull(z.boolean()),
  stream: orNull(z.boolean()),
  previous_response_id: orNull(z.string().min(1)),
  /** `reasoning.encrypted_content` is always returned; the other includables name OpenAI's hosted tools. */
  include: orNull(z.array(z.string())),
  /** "auto" (and OpenAI's "scale") leave the configured tier. */
  service_tier: orNull(z.enum(["auto", "default", "flex", "priority", "scale"])),
  truncation: orNull(z.enum(["auto", "disabled"])),
  background: notSupported("background mode"),
  conversation: notSupported("conversation (use previous_response_id)"),
  prompt: notSupported("prompt templates"),
});

export type ResponsesBody = z.output<typeof responsesRequestSchema>;

type Issue = z.core.$ZodIssue;

/**
 * The issue to report: inside a union (a string or an array of parts, say), the branch the value was meant for,
 * so a client hears "content parts of type 'input_file' are not supported" rather than "Invalid input".
 */
export function specificIssues(error: z.ZodError): z.ZodError {
  let issue: Issue | undefined = error.issues[0];
  let path: PropertyKey[] = [];
  while (issue?.code === "invalid_union" && issue.errors.length > 0) {
    const meant: Issue[] | undefined = issue.errors.find(
      (branch) => !(branch[0]?.code === "invalid_type" && branch[0].path.length === 0),
    );
    if (!meant?.[0]) break;
    path = [...path, ...issue.path];
    issue = meant[0];
  }
  if (!issue) return error;
  return new z.ZodError([{ ...issue, path: [...path, ...issue.path] }]);
}
