// Property (c) of issue 15, over every front door the app registers (FRONT_DOORS): any body, method and path gets
// a 2xx or 4xx in that API's error shape, never a 5xx, never a dropped connection; and a stream, even with Bedrock
// failing before or inside it, ends with its terminator or an in-band error.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_KEY, control, type Harness, startHarness } from "../gateway/harness.js";
import { type Door, frontDoors, OPENAI_ERROR_SHAPE, shapeOf } from "./doors.js";
import { type RawAnswer, rawRequest } from "./http.js";

const SEED = 20261128;
/** Per property: fast-check stops (and passes what ran) when the budget is spent, so a slow machine stays bounded. */
const TIME_LIMIT_MS = 25_000;

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

const json = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

const auth = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Record<string, string>>({ authorization: `Bearer ${API_KEY}` }) },
  { weight: 1, arbitrary: fc.constant<Record<string, string>>({ "x-api-key": API_KEY }) },
  { weight: 1, arbitrary: fc.constant<Record<string, string>>({}) },
  {
    weight: 1,
    arbitrary: fc
      .string({ maxLength: 30 })
      .map((key) => ({ authorization: `Bearer x${key.replace(/[^\x21-\x7e]/g, "")}` })),
  },
);

const contentType = fc.constantFrom(
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "application/octet-stream",
  "multipart/form-data; boundary=zz",
  undefined,
);

/** A body for a door: noise, any JSON, or the door's own sample with fields swapped for anything. */
function bodyFor(door: Door): fc.Arbitrary<string | Buffer> {
  const noise = [
    fc.string({ maxLength: 300 }),
    fc.uint8Array({ maxLength: 300 }).map((bytes) => Buffer.from(bytes)),
    fc.json({ maxDepth: 4 }),
  ];
  if (!door.sample) return fc.oneof(...noise);
  const sample = door.sample;
  const fields = Object.keys(sample(false));
  const mutated = fc
    .tuple(
      fc.boolean(),
      fc.array(fc.tuple(fc.constantFrom(...fields, "tools", "metadata", "extra"), fc.jsonValue({ maxDepth: 3 })), {
        maxLength: 3,
      }),
      fc.subarray(fields, { maxLength: 2 }),
    )
    .map(([stream, swaps, dropped]) => {
      const body: Record<string, unknown> = sample(stream);
      for (const [field, value] of swaps) body[field] = value;
      for (const field of dropped) delete body[field];
      return JSON.stringify(body);
    });
  return fc.oneof({ weight: 1, arbitrary: fc.oneof(...noise) }, { weight: 3, arbitrary: mutated });
}

function pathFor(door: Door): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 6, arbitrary: fc.constant(door.path) },
    { weight: 1, arbitrary: fc.webSegment().map((s) => `${door.path}/${s}`) },
    { weight: 1, arbitrary: fc.webQueryParameters().map((q) => `${door.path}?${q}`) },
    { weight: 1, arbitrary: fc.webPath().map((p) => `/${p.replace(/^\/+/, "")}`) },
  );
}

/** The answer is one of the door's: 2xx (a JSON body or a well-ended stream) or 4xx in its API's error shape. */
function checkAnswer(door: Door, path: string, method: string, res: RawAnswer): void {
  const what = `${method} ${path} -> ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, what).toBeGreaterThanOrEqual(200);
  expect(res.status, what).toBeLessThan(500);
  if (method === "HEAD") return;
  const type = String(res.headers["content-type"] ?? "");
  if (res.status < 300 && type.startsWith("text/event-stream")) {
    expect(door.streamEnd?.(res.text) ?? true, what).toBe(true);
    return;
  }
  const body = json(res.text);
  expect(body, what).toBeDefined();
  if (res.status >= 400) {
    const bare = path.split("?")[0];
    expect(shapeOf(body), what).toBe(bare === door.path ? door.errorShape : OPENAI_ERROR_SHAPE);
  }
}

describe.each(frontDoors().map((door) => [`${door.method} ${door.path}`, door] as const))(
  "front door %s",
  (_, door) => {
    it("any body, method and path: 2xx or 4xx in the door's error shape, never 5xx, never a dropped connection", async () => {
      const method = fc.oneof(
        { weight: 5, arbitrary: fc.constant(door.method) },
        { weight: 1, arbitrary: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD") },
      );
      const statuses = new Set<number>();
      await fc.assert(
        fc.asyncProperty(method, pathFor(door), bodyFor(door), auth, contentType, async (m, path, body, key, type) => {
          const headers: Record<string, string> = { ...key, ...(type ? { "content-type": type } : {}) };
          const hasBody = m !== "GET" && m !== "HEAD";
          const res = await rawRequest(h.gateway.url, { method: m, path, headers, ...(hasBody ? { body } : {}) });
          checkAnswer(door, path, m, res);
          statuses.add(res.status);
        }),
        { numRuns: 60, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
      );
      // Not vacuous: the runs reached the door's refusals and, for a door with a sample, its answers.
      expect([...statuses].some((status) => status >= 400)).toBe(true);
      if (door.sample) expect(statuses.has(200), [...statuses].join()).toBe(true);
    });

    it.runIf(door.sample && door.streamEnd)(
      "with Bedrock failing before or inside it, a stream ends with its terminator or an in-band error",
      async () => {
        const sample = door.sample as NonNullable<Door["sample"]>;
        const fault = fc.record({
          error: fc.constantFrom(
            "ThrottlingException",
            "InternalServerException",
            "ServiceUnavailableException",
            "ModelStreamErrorException",
            "ModelTimeoutException",
            "ModelNotReadyException",
            "ValidationException",
          ),
          afterEvents: fc.option(fc.nat({ max: 6 }), { nil: undefined }),
          count: fc.integer({ min: 1, max: 2 }),
        });
        await fc.assert(
          fc.asyncProperty(fault, async (rule) => {
            await control(h.emulator.url, "faults", { operation: "*", ...rule });
            try {
              const res = await rawRequest(h.gateway.url, {
                method: "POST",
                path: door.path,
                headers: { authorization: `Bearer ${API_KEY}`, "content-type": "application/json" },
                body: JSON.stringify(sample(true)),
              });
              const what = `${JSON.stringify(rule)} -> ${res.status} ${res.text.slice(-300)}`;
              if (String(res.headers["content-type"]).startsWith("text/event-stream")) {
                expect(res.status, what).toBe(200);
                expect(door.streamEnd?.(res.text), what).toBe(true);
              } else {
                // Refused before the stream began: a status of the door's table, in its shape.
                expect(res.status, what).toBeGreaterThanOrEqual(400);
                expect(shapeOf(json(res.text)), what).toBe(door.errorShape);
              }
            } finally {
              await control(h.emulator.url, "reset", {});
            }
          }),
          { numRuns: 25, seed: SEED, interruptAfterTimeLimit: TIME_LIMIT_MS, markInterruptAsFailure: false },
        );
      },
    );
  },
);
