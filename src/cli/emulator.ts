/** `bedrock-llm emulator`: runs the local Bedrock emulator (Bedrock Runtime + STS + SSO) until Ctrl-C / SIGTERM. */
import type { Command } from "commander";
import { startEmulator } from "../emulator/index.js";
import { runAction, UsageError } from "./exit.js";
import { listenFailure } from "./listen-error.js";

interface EmulatorOptions {
  host: string;
  port: string;
  credentialTtl: string;
  region: string;
}

const EXAMPLES = `
Examples:
  $ bedrock-llm emulator                          # http://127.0.0.1:4010
  $ bedrock-llm emulator --port 0                 # any free port; the first stdout line names it
  $ bedrock-llm emulator --credential-ttl 5       # STS/SSO credentials expire after 5 s, to test refresh

Point clients at it with an endpoint URL (e.g. AWS_ENDPOINT_URL=http://127.0.0.1:4010), access key
AKIAIOSFODNN7EXAMPLE and secret wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY. See docs/EMULATOR.md.`;

function integerOption(value: string, name: string, min: number, max: number): number {
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < min || number > max) {
    throw new UsageError(`${name} must be an integer from ${min} to ${max}, got "${value}"`);
  }
  return number;
}

export function registerEmulator(program: Command): void {
  program
    .command("emulator")
    .summary("run the local Bedrock emulator (Bedrock Runtime, STS, SSO) for offline development and tests")
    .description(
      "Serve a local Amazon Bedrock Runtime, STS and SSO portal on one port (HTTP/1.1 and HTTP/2), with SigV4 " +
        "verification, a deterministic model and a control API under /_emulator/.",
    )
    .option("--host <host>", "interface to listen on", "127.0.0.1")
    .option("--port <port>", "port to listen on; 0 picks a free one", "4010")
    .option("--credential-ttl <seconds>", "lifetime of STS/SSO temporary credentials", "3600")
    .option("--region <region>", "region assumed for requests that carry none (Bedrock API keys)", "us-east-1")
    .addHelpText("after", EXAMPLES)
    .action(
      runAction(async (options: EmulatorOptions) => {
        const port = integerOption(options.port, "--port", 0, 65535);
        const emulator = await startEmulator({
          host: options.host,
          port,
          credentialTtlSeconds: integerOption(options.credentialTtl, "--credential-ttl", 1, 43200),
          defaultRegion: options.region,
        }).catch((error: unknown) => {
          throw listenFailure(error, { host: options.host, port }) ?? error;
        });
        process.stdout.write(`Bedrock emulator listening on ${emulator.url}\n`);
        await new Promise<void>((resolve) => {
          const stop = () => {
            process.off("SIGINT", stop);
            process.off("SIGTERM", stop);
            resolve();
          };
          process.on("SIGINT", stop);
          process.on("SIGTERM", stop);
        });
        await emulator.close();
        process.stderr.write("Bedrock emulator stopped\n");
      }),
    );
}
