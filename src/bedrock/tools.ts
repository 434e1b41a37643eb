/**
 * OpenAI tools and tool_choice -> Converse toolConfig. The specs are converted on every call: agents add and
 * change tools between turns, often in the same array, and converting is a few small objects per tool (the
 * schemas are referenced, not copied), cheaper than any cache key that would notice the change.
 */
import type { ToolChoice as ConverseToolChoice, Tool, ToolConfiguration } from "@aws-sdk/client-bedrock-runtime";
import type { FunctionTool, ToolChoice } from "../chat/index.js";
import { ValidationError } from "../errors.js";
import type { ModelInfo } from "../models/types.js";

const EMPTY_SCHEMA = { type: "object", properties: {} };

function toolSpecs(tools: FunctionTool[]): Tool[] {
  return tools.map(({ function: fn }) => ({
    toolSpec: {
      name: fn.name,
      ...(fn.description ? { description: fn.description } : {}),
      inputSchema: { json: (fn.parameters ?? EMPTY_SCHEMA) as Record<string, never> },
      ...(fn.strict !== undefined ? { strict: fn.strict } : {}),
    },
  }));
}

export interface ToolPlan {
  toolConfig?: ToolConfiguration;
  /** The tools array inside toolConfig (fresh for this call), for cache points. */
  tools?: Tool[];
  /** A forced choice (required or named) was turned into auto because thinking is on. */
  droppedForcedChoice: boolean;
  /** tool_choice "none" could not be honoured because the conversation already uses tools. */
  noneIgnored: boolean;
}

function forcedChoice(choice: ToolChoice | undefined): ConverseToolChoice | undefined {
  if (choice === "required") return { any: {} };
  if (typeof choice === "object" && choice?.type === "function") return { tool: { name: choice.function.name } };
  return undefined;
}

export function planTools(
  tools: FunctionTool[] | undefined,
  choice: ToolChoice | undefined,
  info: ModelInfo,
  conversationUsesTools: boolean,
  thinking: boolean,
): ToolPlan {
  const plan: ToolPlan = { droppedForcedChoice: false, noneIgnored: false };
  if (!tools || tools.length === 0) return plan;
  if (choice === "none" && !conversationUsesTools) return plan;
  if (!info.tools) {
    throw new ValidationError(
      `${info.name} (${info.id}) does not support tool use through Converse: remove tools, or choose a model with tool support.`,
    );
  }
  plan.tools = toolSpecs(tools);
  plan.toolConfig = { tools: plan.tools };
  // Converse has no "none": with tool blocks in the history the tools must stay, so the model may still call one.
  plan.noneIgnored = choice === "none";
  const forced = forcedChoice(choice);
  if (forced && thinking) plan.droppedForcedChoice = true;
  else if (forced) plan.toolConfig.toolChoice = forced;
  else if (choice === "auto") plan.toolConfig.toolChoice = { auto: {} };
  return plan;
}
