// previous_response_id: the chain of stored responses, oldest first, and what a missing link answers.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { GatewayError } from "../../src/gateway/openai-error.js";
import { responsesErrors } from "../../src/gateway/responses/errors.js";
import { conversationUpTo, findStored } from "../../src/gateway/responses/history.js";
import { newResponseId } from "../../src/gateway/responses/ids.js";
import { messageItem, responseShell } from "../../src/gateway/responses/output.js";
import { responsesRequestSchema } from "../../src/gateway/responses/request-schema.js";
import type { StoredResponse } from "../../src/gateway/responses/types.js";
import { MemoryResponseStore } from "../../src/store/index.js";

function stored(id: string, previous: string | null, question: string, answer: string): StoredResponse {
  const body = responsesRequestSchema.parse({ model: "default", input: question, previous_response_id: previous });
  const response = { ...responseShell(id, body, true, 0), status: "completed" as const };
  response.output = [messageItem(answer, "completed")];
  return { response, input: body.input };
}

describe("conversationUpTo", () => {
  it("walks the chain back and returns every turn's input and output, oldest first", async () => {
    const store = new MemoryResponseStore<StoredResponse>({ maxBytes: 1_000_000 });
    const [a, b, c] = [newResponseId(), newResponseId(), newResponseId()];
    await store.put(a, stored(a, null, "one?", "1"), 60);
    await store.put(b, stored(b, a, "two?", "2"), 60);
    await store.put(c, stored(c, b, "three?", "3"), 60);
    const items = await conversationUpTo(store, c, 60);
    expect(items.map((item) => (item.type === "message" ? [item.role, item.content] : item.type))).toEqual([
      ["user", "one?"],
      ["assistant", [{ type: "output_text", text: "1" }]],
      ["user", "two?"],
      ["assistant", [{ type: "output_text", text: "2" }]],
      ["user", "three?"],
      ["assistant", [{ type: "output_text", text: "3" }]],
    ]);
  });

  it("names the missing response, even an earlier link of the chain", async () => {
    const store = new MemoryResponseStore<StoredResponse>({ maxBytes: 1_000_000 });
    const [gone, kept] = [newResponseId(), newResponseId()];
    await store.put(kept, stored(kept, gone, "two?", "2"), 60);
    const error = await conversationUpTo(store, kept, 86_400).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ status: 400, code: "previous_response_not_found", param: "previous_response_id" });
    expect((error as Error).message).toContain(`'${gone}'`);
    expect((error as Error).message).toContain("kept 1 day");
  });

  it("asks no store about an id that is not a response id", async () => {
    const asked: string[] = [];
    const store = {
      get: async (id: string) => {
        asked.push(id);
        return undefined;
      },
      put: async () => {},
      delete: async () => false,
    };
    await expect(conversationUpTo(store, "../../etc/passwd", 60)).rejects.toMatchObject({ status: 400 });
    await expect(findStored(store, "resp_short")).rejects.toMatchObject({ status: 404, code: "response_not_found" });
    expect(asked).toEqual([]);
  });
});

describe("docs/ERRORS.md", () => {
  it("names the codes of the Responses door's own refusals", () => {
    const doc = readFileSync(new URL("../../docs/ERRORS.md", import.meta.url), "utf8");
    for (const error of [
      responsesErrors.previousResponseNotFound("resp_x", 60),
      responsesErrors.responseNotFound("x"),
    ]) {
      expect(doc).toContain(`\`${error.type}\` / \`${error.code}\``);
      expect(doc).toContain(`\`${error.kind}\``);
    }
  });
});
