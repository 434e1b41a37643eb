/**
 * Control-API routes that create things in the emulator's AWS world for the runtime to find: S3 objects (image,
 * document and video sources). Each route is a body schema and a handler of the parsed body; control.ts parses.
 */
import { z } from "zod";
import { BUILTIN_ACCOUNT_ID } from "./identity.js";
import type { EmulatorState } from "./state.js";

export interface ResourceRoute<T> {
  schema: z.ZodType<T>;
  handle(body: T, state: EmulatorState): unknown;
}

const s3ObjectSchema = z
  .strictObject({
    uri: z.string().regex(/^s3:\/\/[a-z0-9][.\-a-z0-9]{1,61}[a-z0-9]\/.+$/, "must be s3://bucket/key"),
    text: z.string().optional(),
    base64: z.base64().optional(),
    owner: z
      .string()
      .regex(/^[0-9]{12}$/, "must be a 12-digit account id")
      .default(BUILTIN_ACCOUNT_ID),
  })
  .refine((o) => (o.text === undefined) !== (o.base64 === undefined), { message: "give exactly one of text, base64" });

const putS3Object: ResourceRoute<z.infer<typeof s3ObjectSchema>> = {
  schema: s3ObjectSchema,
  handle(body, state) {
    const bytes = body.text !== undefined ? Buffer.from(body.text, "utf8") : Buffer.from(body.base64 ?? "", "base64");
    state.s3Objects.set(body.uri, { bytes, owner: body.owner });
    return { ok: true, uri: body.uri, size: bytes.length, owner: body.owner };
  },
};

// biome-ignore lint/suspicious/noExplicitAny: each route's body type is checked by its own schema.
export const RESOURCE_ROUTES: Record<string, ResourceRoute<any>> = {
  "POST s3-objects": putS3Object,
};
