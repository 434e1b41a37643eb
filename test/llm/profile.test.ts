/** ModelProfile: what every call to one model shares, and nothing more (no credentials ride into a call). */
import { describe, expect, it } from "vitest";
import { profileFor, SONNET_45 } from "./helpers.js";

const SECRET = "profile-test-secret-key-0123456789abcdefgh";

describe("model profile", () => {
  it("carries the settings a call reads and no credentials, endpoints or paths", () => {
    const profile = profileFor(SONNET_45, {
      aws_access_key_id: "AKIAPROFILETEST00001",
      aws_secret_access_key: SECRET,
      aws_session_token: `${SECRET}-session`,
      aws_bedrock_runtime_endpoint: "http://127.0.0.1:1",
      log_completions_folder: "/tmp/profile-test-logs",
      temperature: 0.3,
      top_p: 0.8,
      max_output_tokens: 1000,
      reasoning_effort: "low",
      service_tier: "flex",
      latency: "optimized",
      guardrail_config: { guardrailIdentifier: "gr-1", guardrailVersion: "1", raise_on_intervention: true },
    });
    expect(profile.settings).toEqual({
      temperature: 0.3,
      top_p: 0.8,
      max_output_tokens: 1000,
      reasoning_effort: "low",
      service_tier: "flex",
      latency: "optimized",
      guardrail_config: { guardrailIdentifier: "gr-1", guardrailVersion: "1", raise_on_intervention: true },
    });
    const serialised = JSON.stringify(profile);
    for (const leak of [SECRET, "AKIAPROFILETEST00001", "127.0.0.1:1", "/tmp/profile-test-logs"]) {
      expect(serialised).not.toContain(leak);
    }
  });
});
