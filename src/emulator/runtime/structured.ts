/** Structured output (outputConfig.textFormat json_schema): validation of the request and the JSON reply. */
import { modelValidation, validation } from "./errors.js";
import type { ModelSpec } from "./models.js";
import { sampleFromSchema } from "./schema-sample.js";
import { type ConverseBody, isRecord } from "./shapes.js";

/** The parsed schema when the request asks for structured output, else undefined. */
export function structuredSchema(body: ConverseBody, spec: ModelSpec): Record<string, unknown> | undefined {
  const format = body.outputConfig?.textFormat;
  if (format === undefined) return nativeSchema(body, spec);
  if (!spec.structuredOutput) {
    throw validation(
      "This model doesn't support the outputConfig.textFormat field. Remove outputConfig.textFormat and try again.",
    );
  }
  if (format.type !== "json_schema") {
    throw validation(
      `1 validation error detected: Value '${String(format.type)}' at 'outputConfig.textFormat.type' failed to satisfy constraint: Member must satisfy enum value set: [json_schema]`,
    );
  }
  const text = format.structure?.jsonSchema?.schema;
  if (typeof text !== "string") {
    throw validation("The outputConfig.textFormat.structure.jsonSchema.schema field is required.");
  }
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch {
    throw validation(
      "The JSON schema in outputConfig.textFormat.structure.jsonSchema.schema isn't valid JSON. Fix the schema and try again.",
    );
  }
  if (!isRecord(schema)) {
    throw validation("The JSON schema in outputConfig.textFormat.structure.jsonSchema.schema must be a JSON object.");
  }
  return schema;
}

export function structuredReply(schema: Record<string, unknown>): string {
  return JSON.stringify(sampleFromSchema(schema));
}

/**
 * Anthropic's own form, passed through additionalModelRequestFields (as the AI SDK does) or a native body:
 * output_config.format {type: "json_schema", schema: {...}}.
 */
function nativeSchema(body: ConverseBody, spec: ModelSpec): Record<string, unknown> | undefined {
  const extra = body.additionalModelRequestFields;
  const outputConfig = isRecord(extra) && isRecord(extra.output_config) ? extra.output_config : undefined;
  const format = outputConfig && isRecord(outputConfig.format) ? outputConfig.format : undefined;
  if (!format) return undefined;
  if (!spec.structuredOutput) {
    throw modelValidation("output_config.format: structured outputs are not supported for this model");
  }
  if (format.type !== "json_schema" || !isRecord(format.schema)) {
    throw modelValidation("output_config.format.schema: Field required");
  }
  return format.schema;
}
