import { describe, expect, it } from "vitest";
import { BedrockLLMError, ConfigError, ThrottlingError } from "../src/index.js";

describe("error family", () => {
  it("keeps cause, request id and subclass identity", () => {
    const cause = new Error("low level");
    const err = new ThrottlingError("slow down", { cause, requestId: "req-1", retryAfterSeconds: 2, attempts: 5 });
    expect(err).toBeInstanceOf(BedrockLLMError);
    expect(err.name).toBe("ThrottlingError");
    expect(err.code).toBe("throttling");
    expect(err.cause).toBe(cause);
    expect(err.requestId).toBe("req-1");
    expect(err.retryAfterSeconds).toBe(2);
  });

  it("config errors carry file, line and key", () => {
    const err = new ConfigError("bad", { file: "a.toml", line: 3, key: "llm.temperature" });
    expect([err.file, err.line, err.key, err.code]).toEqual(["a.toml", 3, "llm.temperature", "config"]);
  });
});
