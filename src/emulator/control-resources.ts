/**
 * Control-API routes that create things in the emulator's AWS world for the runtime to find: S3 objects (image,
 * document and video sources) and application inference profiles. Each route is a body schema and a handler of the parsed body; control.ts parses.
 */
import { z } from "zod";
import { BUILTIN_ACCOUNT_ID } from "./identity.js";
import { createApplicationProfile } from "./runtime/inference-profiles.js";
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

const profileSchema = z.strictObject({
  name: z.string().regex(/^[0-9a-zA-Z][ _0-9a-zA-Z-]{0,63}$/, "must be 1-64 letters, digits, spaces, _ and -"),
  /** A foundation model id or ARN, or a system inference profile id or ARN. */
  copyFrom: z.string().min(1),
  description: z.string().max(200).optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/)
    .optional(),
  accountId: z
    .string()
    .regex(/^[0-9]{12}$/)
    .default(BUILTIN_ACCOUNT_ID),
});

const createProfile: ResourceRoute<z.infer<typeof profileSchema>> = {
  schema: profileSchema,
  handle(body, state) {
    const { region, ...rest } = body;
    try {
      const created = createApplicationProfile(state, { ...rest, region: region ?? state.options.defaultRegion });
      return created.profile;
    } catch (error) {
      throw new ResourceError(400, (error as Error).message);
    }
  },
};

/** A refusal the control API answers with its status and message. */
export class ResourceError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

// biome-ignore lint/suspicious/noExplicitAny: each route's body type is checked by its own schema.
export const RESOURCE_ROUTES: Record<string, ResourceRoute<any>> = {
  "POST s3-objects": putS3Object,
  "POST inference-profiles": createProfile,
};
