/**
 * Responses tools -> the chat contract's function tools, and the model's tool calls back to Responses items. Bedrock
 * knows only functions (a name, a description, a JSON schema), so:
 *
 * - a `function` tool is itself;
 * - a `namespace` tool's members become functions named `<namespace>__<name>`, and a call to one comes back as a
 *   `function_call` (or `custom_tool_call`) with `namespace` set;
 * - a `custom` tool (free-text input, e.g. Codex's apply_patch) becomes a function of one string, `input`, and a
 *   call comes back as a `custom_tool_call` with that string;
 * - `local_shell` becomes a function `local_shell` of {command, workdir, timeout_ms}, and a call comes back as a
 *   `local_shell_call`.
 *
 * Items the client sends back (calls from earlier turns) are turned into tool calls by the same names.
 */
import type { ChatMessage, FunctionTool, ToolCall, ToolChoice } from "../../chat/index.js";
import { errors } from "../openai-error.js";
import { newItemId } from "./ids.js";
import type { CustomToolParam, FunctionToolParam, InputItem, ToolChoiceParam, ToolParam } from "./request-schema.js";
import type { ItemStatus, ToolCallItem } from "./types.js";

const NAMESPACE_SEPARATOR = "__";
export const LOCAL_SHELL_NAME = "local_shell";

const LOCAL_SHELL_TOOL: FunctionTool = {
  type: "function",
  function: {
    name: LOCAL_SHELL_NAME,
    description: "Runs a command on the user's machine and returns its output.",
    parameters: {
      type: "object",
      properties: {
        command: { type: "array", items: { type: "string" }, description: "The command and its arguments (argv)." },
        workdir: { type: "string", description: "The working directory to run the command in." },
        timeout_ms: { type: "number", description: "How long the command may run, in milliseconds." },
      },
      required: ["command"],
    },
  },
};

interface CatalogEntry {
  kind: "function" | "custom" | "local_shell";
  name: string;
  namespace?: string;
}

export function qualifiedName(name: string, namespace: string | undefined): string {
  return namespace ? `${namespace}${NAMESPACE_SEPARATOR}${name}` : name;
}

/** The tools of one request, by the name Bedrock sees. */
export class ToolCatalog {
  readonly tools: FunctionTool[] = [];
  private readonly entries = new Map<string, CatalogEntry>();

  constructor(params: readonly ToolParam[] = []) {
    params.forEach((tool, index) => {
      switch (tool.type) {
        case "function":
        case "custom":
          this.add(tool, undefined, `tools[${index}]`);
          return;
        case "namespace":
          for (const [member, inner] of tool.tools.entries())
            this.add(inner, tool.name, `tools[${index}].tools[${member}]`);
          return;
        case "local_shell":
          this.register(LOCAL_SHELL_NAME, { kind: "local_shell", name: LOCAL_SHELL_NAME }, `tools[${index}]`);
          this.tools.push(LOCAL_SHELL_TOOL);
          return;
      }
    });
  }

  /** The chat contract's tool_choice for a Responses tool_choice; allowed_tools narrows `tools` in place. */
  toolChoice(choice: ToolChoiceParam | undefined): ToolChoice | undefined {
    if (choice === undefined || typeof choice === "string") return choice;
    if (choice.type === "allowed_tools") {
      const allowed = new Set(choice.tools.map((t) => (t.type === "local_shell" ? LOCAL_SHELL_NAME : t.name)));
      const kept = this.tools.filter((t) => allowed.has(t.function.name));
      this.tools.splice(0, this.tools.length, ...kept);
      return choice.mode;
    }
    const name = this.find(choice.name, choice.type);
    if (!name) {
      throw errors.badField(
        `Invalid value for 'tool_choice': no ${choice.type} tool named '${choice.name}' in tools.`,
        "tool_choice.name",
      );
    }
    return { type: "function", function: { name } };
  }

  /**
   * Declares the tools called earlier in the conversation, for a request that offers none: Bedrock refuses tool
   * calls and results in the messages without a toolConfig (OpenAI does not carry tools over to the next turn, so
   * a client continuing with previous_response_id often sends none).
   */
  declareEarlierTools(messages: readonly ChatMessage[]): void {
    const names = new Set<string>();
    for (const message of messages) {
      if (message.role === "assistant") for (const call of message.tool_calls ?? []) names.add(call.function.name);
    }
    for (const name of names) {
      this.tools.push({
        type: "function",
        function: {
          name,
          description: "A tool called earlier in this conversation; it is not offered in this turn.",
          parameters: { type: "object", properties: {} },
        },
      });
    }
  }

  /** A call of the model, as the Responses item the client expects for that tool. */
  callItem(call: ToolCall, status: ItemStatus, id?: string): ToolCallItem {
    const entry = this.entries.get(call.function.name);
    const args = call.function.arguments;
    const namespace = entry?.namespace !== undefined ? { namespace: entry.namespace } : {};
    if (entry?.kind === "custom") {
      return {
        type: "custom_tool_call",
        id: id ?? newItemId("ctc"),
        call_id: call.id,
        name: entry.name,
        ...namespace,
        input: customInput(args),
        status,
      };
    }
    if (entry?.kind === "local_shell") {
      const parsed = parseObject(args);
      return {
        type: "local_shell_call",
        id: id ?? newItemId("lsh"),
        call_id: call.id,
        status,
        action: {
          type: "exec",
          command: Array.isArray(parsed.command) ? parsed.command.map(String) : [],
          env: {},
          working_directory: typeof parsed.workdir === "string" ? parsed.workdir : null,
          timeout_ms: typeof parsed.timeout_ms === "number" ? parsed.timeout_ms : null,
          user: null,
        },
      };
    }
    return {
      type: "function_call",
      id: id ?? newItemId("fc"),
      call_id: call.id,
      name: entry?.name ?? call.function.name,
      ...namespace,
      arguments: args,
      status,
    };
  }

  private add(tool: FunctionToolParam | CustomToolParam, namespace: string | undefined, path: string): void {
    const name = qualifiedName(tool.name, namespace);
    this.register(name, { kind: tool.type, name: tool.name, ...(namespace !== undefined && { namespace }) }, path);
    this.tools.push(tool.type === "function" ? functionTool(name, tool) : customTool(name, tool));
  }

  private register(bedrockName: string, entry: CatalogEntry, path: string): void {
    if (this.entries.has(bedrockName)) {
      throw errors.badField(`Invalid value for '${path}': two tools are named '${bedrockName}'.`, path);
    }
    this.entries.set(bedrockName, entry);
  }

  private find(name: string, kind: "function" | "custom"): string | undefined {
    if (this.entries.get(name)?.kind === kind) return name;
    for (const [bedrockName, entry] of this.entries) if (entry.kind === kind && entry.name === name) return bedrockName;
    return undefined;
  }
}

/** A tool call the client sends back in `input`, as the chat contract's tool call (undefined for other items). */
export function toolCallOf(item: InputItem): ToolCall | undefined {
  switch (item.type) {
    case "function_call":
      return call(item.call_id, qualifiedName(item.name, item.namespace), item.arguments);
    case "custom_tool_call":
      return call(item.call_id, qualifiedName(item.name, item.namespace), JSON.stringify({ input: item.input }));
    case "local_shell_call": {
      const { command, working_directory, timeout_ms } = item.action;
      const args = {
        command,
        ...(working_directory != null && { workdir: working_directory }),
        ...(timeout_ms != null && { timeout_ms }),
      };
      return call(item.call_id, LOCAL_SHELL_NAME, JSON.stringify(args));
    }
    default:
      return undefined;
  }
}

function call(id: string, name: string, args: string): ToolCall {
  return { id, type: "function", function: { name, arguments: args } };
}

function functionTool(name: string, tool: FunctionToolParam): FunctionTool {
  return {
    type: "function",
    function: {
      name,
      ...(tool.description !== undefined && { description: tool.description }),
      ...(tool.parameters !== undefined && { parameters: tool.parameters }),
      ...(tool.strict !== undefined && { strict: tool.strict }),
    },
  };
}

function customTool(name: string, tool: CustomToolParam): FunctionTool {
  const format = tool.format;
  const syntax = format?.syntax ? `${format.syntax} ` : "";
  const grammar =
    format?.type === "grammar" && format.definition ? `, in this ${syntax}grammar:\n${format.definition}` : "";
  return {
    type: "function",
    function: {
      name,
      ...(tool.description !== undefined && { description: tool.description }),
      parameters: {
        type: "object",
        properties: { input: { type: "string", description: `The tool's input: free-form text${grammar}` } },
        required: ["input"],
      },
    },
  };
}

/** The `input` string of a custom tool's call; the raw arguments when the model did not send {input}. */
function customInput(args: string): string {
  const parsed = parseObject(args);
  return typeof parsed.input === "string" ? parsed.input : args;
}

function parseObject(json: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(json);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
