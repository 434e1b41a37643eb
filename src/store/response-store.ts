/**
 * Where the gateway keeps stored responses (OpenAI Responses `store: true`), for `previous_response_id` and
 * GET / DELETE /v1/responses/{id}. One small async interface, so the in-process store (memory-response-store.ts)
 * and shared ones (SQLite, Redis) are interchangeable. Values must survive JSON.stringify / JSON.parse unchanged:
 * a shared store keeps them as JSON text, and the in-process one does too, so every store behaves alike.
 */
export interface ResponseStore<T = unknown> {
  /** The value stored under `id`, or undefined when there is none (never stored, expired, deleted, evicted). */
  get(id: string): Promise<T | undefined>;
  /** Stores `value` under `id` for `ttlSeconds`, replacing any value already there. */
  put(id: string, value: T, ttlSeconds: number): Promise<void>;
  /** Removes the value under `id`; true when there was one. */
  delete(id: string): Promise<boolean>;
}
