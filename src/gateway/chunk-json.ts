/**
 * The JSON of a stream's chat chunks with the envelope written once: the chunks of one stream share their id,
 * created and model and differ only in their one choice's delta and finish reason, so per event only those are
 * serialised. Byte for byte what JSON.stringify gives; a chunk of any other shape (more choices, other or more
 * fields, another key order) goes through JSON.stringify itself.
 */
import type { ChatCompletionChunk } from "../chat/index.js";

const CHUNK_KEYS = ["id", "object", "created", "model", "choices"];
const CHOICE_KEYS = ["index", "delta", "finish_reason", "logprobs"];

export class ChunkJson {
  private id: string | undefined;
  private created: number | undefined;
  private model: string | undefined;
  private head = "";

  of(chunk: ChatCompletionChunk): string {
    return this.templated(chunk) ?? JSON.stringify(chunk);
  }

  private templated(chunk: ChatCompletionChunk): string | undefined {
    // A plain object (no toJSON of a class's) with exactly the envelope's keys in order.
    if (Object.getPrototypeOf(chunk) !== Object.prototype || !hasExactly(chunk, CHUNK_KEYS)) return undefined;
    if (chunk.object !== "chat.completion.chunk") return undefined;
    const { id, created, model, choices } = chunk;
    if (typeof id !== "string" || typeof created !== "number" || typeof model !== "string") return undefined;
    if (!Array.isArray(choices) || Object.getPrototypeOf(choices) !== Array.prototype) return undefined;
    if (choices.length !== 1 || !hasExactly(choices, ["0"])) return undefined;
    const choice = choices[0] as ChatCompletionChunk["choices"][number];
    if (typeof choice !== "object" || choice === null || Object.getPrototypeOf(choice) !== Object.prototype) {
      return undefined;
    }
    if (!hasExactly(choice, CHOICE_KEYS)) return undefined;
    const { index, delta, finish_reason, logprobs } = choice;
    if (index !== 0 || logprobs !== null || typeof delta !== "object" || delta === null) return undefined;
    if (finish_reason !== null && typeof finish_reason !== "string") return undefined;
    if (id !== this.id || created !== this.created || model !== this.model) {
      this.id = id;
      this.created = created;
      this.model = model;
      this.head =
        `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${JSON.stringify(created)},` +
        `"model":${JSON.stringify(model)},"choices":[{"index":0,"delta":`;
    }
    return `${this.head}${JSON.stringify(delta)},"finish_reason":${JSON.stringify(finish_reason)},"logprobs":null}]}`;
  }
}

/** Whether `value`'s enumerable keys (own and inherited, as for-in sees them) are `keys`, in that order. */
function hasExactly(value: object, keys: readonly string[]): boolean {
  let i = 0;
  for (const key in value) {
    if (key !== keys[i]) return false;
    i++;
  }
  return i === keys.length;
}
