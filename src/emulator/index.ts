// STUB (contract): the emulator helpers replace this, keeping the exported names and signatures.
import type { EmulatorState } from "./state.js";

export interface StartEmulatorOptions {
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** STS/SSO temporary credential lifetime, seconds (default 3600). */
  credentialTtlSeconds?: number;
  /** Region for unsigned/bearer requests (default us-east-1). */
  defaultRegion?: string;
}

export interface RunningEmulator {
  /** http://HOST:PORT */
  url: string;
  host: string;
  port: number;
  state: EmulatorState;
  close(): Promise<void>;
}

export async function startEmulator(_options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  throw new Error("not implemented");
}

export const BUILTIN_ACCESS_KEY_ID = "AKIAIOSFODNN7EXAMPLE";
export const BUILTIN_SECRET_ACCESS_KEY = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
export const BUILTIN_ACCOUNT_ID = "123456789012";
/** A Bedrock API key the emulator accepts out of the box (Authorization: Bearer ...). */
export const BUILTIN_BEDROCK_API_KEY = "ABSKZW11bGF0b3I6ZXhhbXBsZS1iZWRyb2NrLWFwaS1rZXk=";
