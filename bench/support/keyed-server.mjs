// The [server] of a gateway whose requests go through every key check, limit and budget: one virtual key carrying
// rpm, tpm and a daily budget, and [server.limits.llm] rpm and tpm, all high enough never to refuse, so every
// request is looked up, checked against five counters, then reconciled and charged, over `store`.
import { createHash } from "node:crypto";

export const keyedServer = (apiKey, store) => ({
  keys: {
    bench: {
      key_sha256: createHash("sha256").update(apiKey).digest("hex"),
      rpm: 10_000_000,
      tpm: 1_000_000_000,
      budget_usd: 1_000_000,
      budget_period: "day",
    },
  },
  limits: { llm: { rpm: 10_000_000, tpm: 1_000_000_000 } },
  store,
});
