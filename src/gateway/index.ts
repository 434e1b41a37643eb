// STUB (contract): the gateway helper replaces this, keeping the exported names and signatures.
import type { BedrockLLMConfig } from "../config/types.js";

export interface RunningGateway {
  url: string;
  close(): Promise<void>;
}

export async function startGateway(
  _config: BedrockLLMConfig,
  _options: { host?: string; port?: number } = {},
): Promise<RunningGateway> {
  throw new Error("not implemented");
}
