/**
 * Loads the SDK's own modules as the Bedrock Runtime client loads them: the same copies of @smithy/core and
 * @aws-sdk/core its stack uses (they are its dependencies, not this package's).
 */
import { createRequire } from "node:module";

export const sdkRequire = createRequire(createRequire(import.meta.url).resolve("@aws-sdk/client-bedrock-runtime"));
