/**
 * Stored responses and the conversations they continue. A stored response keeps its own request's input items and
 * its output; `previous_response_id` is followed back through the chain, so each turn is stored once. Instructions
 * are not carried over, as in OpenAI's API: each request brings its own.
 */
import { z } from "zod";
import type { ResponseStore } from "../../store/index.js";
import { responsesErrors } from "./errors.js";
import { isResponseId } from "./ids.js";
import { type InputItem, inputItemSchema } from "./request-schema.js";
import type { StoredResponse } from "./types.js";

/** Longest chain followed: far beyond any conversation, short of a runaway walk. */
const MAX_CHAIN = 10_000;

const storedItems = z.array(inputItemSchema);

/** The input and output items of every response up to and including `previousId`, oldest first. */
export async function conversationUpTo(
  store: ResponseStore<StoredResponse>,
  previousId: string,
  ttlSeconds: number,
): Promise<InputItem[]> {
  const chain: StoredResponse[] = [];
  let id: string | null = previousId;
  while (id !== null && chain.length < MAX_CHAIN) {
    const stored: StoredResponse | undefined = isResponseId(id) ? await store.get(id) : undefined;
    if (!stored) throw responsesErrors.previousResponseNotFound(id, ttlSeconds);
    chain.push(stored);
    id = stored.response.previous_response_id;
  }
  const items: InputItem[] = [];
  for (const stored of chain.reverse()) {
    items.push(...stored.input);
    // Output items are sent back as input items: parsed as such, which keeps what the next turn needs.
    items.push(...storedItems.parse(stored.response.output));
  }
  return items;
}

export async function findStored(store: ResponseStore<StoredResponse>, id: string): Promise<StoredResponse> {
  const stored = isResponseId(id) ? await store.get(id) : undefined;
  if (!stored) throw responsesErrors.responseNotFound(id);
  return stored;
}
