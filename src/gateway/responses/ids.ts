/** Ids in OpenAI's spelling: `resp_` for responses, `msg_`, `fc_`, `rs_`, ... for output items. */
import { randomBytes } from "node:crypto";

export function newResponseId(): string {
  return `resp_${randomBytes(24).toString("hex")}`;
}

export function newItemId(prefix: "msg" | "fc" | "rs" | "ctc" | "lsh"): string {
  return `${prefix}_${randomBytes(16).toString("hex")}`;
}

/** A well-formed response id (checked before any store is asked). */
export function isResponseId(id: string): boolean {
  return /^resp_[0-9a-f]{48}$/.test(id);
}
