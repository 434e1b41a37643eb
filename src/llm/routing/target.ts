/**
 * One place a call can go: a configuration section with its own model, region, credentials and settings, and what
 * routing knows of it now: calls in flight, when it was last picked, and its cooldown after throttling.
 */
import type { LLMConfig } from "../../config/types.js";
import { applicationProfileArn } from "../application-profiles.js";
import type { Runtime } from "../runtime.js";

export class Target {
  inFlight = 0;
  /** Pick order: the least recently picked wins a tie. */
  lastPicked = 0;
  /** Smooth weighted round-robin: the running credit of this target. */
  credit = 0;
  /** Clock time (ms) until which the target is cooling down. */
  coolingUntil = 0;
  /** Throttles in a row since its last success: each one doubles the next cooldown. */
  throttleStreak = 0;
  #runtime: Runtime | undefined;
  /** Whether the section's own model names an application inference profile (set on first use). */
  #ownIsProfile: boolean | undefined;

  constructor(
    /** "llm" or the NAME of [llm.NAME]: what served_by and the metrics say. */
    readonly name: string,
    readonly config: LLMConfig,
    readonly weight: number,
    private readonly makeRuntime: () => Runtime,
  ) {}

  /** Credentials, client and models: resolved on first use, so a fallback that is never needed costs nothing. */
  get runtime(): Runtime {
    this.#runtime ??= this.makeRuntime();
    return this.#runtime;
  }

  /**
   * What must be fetched before the target's model is first resolved: an application inference profile's base
   * model (GetInferenceProfile, once). Other models need nothing, and the runtime is not made for them here: then
   * there is nothing to wait for (undefined), so a call on such a model takes no extra async step.
   */
  prepare(override?: string): Promise<void> | undefined {
    if (override === undefined) {
      // Depends on the configuration only: worked out on the first call.
      this.#ownIsProfile ??= applicationProfileArn(this.config) !== undefined;
      return this.#ownIsProfile ? this.runtime.prepare(override) : undefined;
    }
    const model = override.startsWith("bedrock/") ? override : `bedrock/${override}`;
    if (applicationProfileArn({ model, base_model: this.config.base_model }) === undefined) return undefined;
    return this.runtime.prepare(override);
  }

  coolingAt(now: number): boolean {
    return this.coolingUntil > now;
  }

  /**
   * Cools the target down: `first` seconds, doubled for each throttle in a row, at most `longest`, and never
   * shorter than the Retry-After the service sent.
   */
  coolDown(now: number, first: number, longest: number, retryAfterSeconds: number | undefined): void {
    this.throttleStreak += 1;
    const grown = Math.min(longest, first * 2 ** (this.throttleStreak - 1));
    const seconds = Math.max(grown, retryAfterSeconds ?? 0);
    this.coolingUntil = Math.max(this.coolingUntil, now + seconds * 1000);
  }

  /** A call it served ends its streak and any cooldown left (it was picked while every deployment cooled). */
  succeeded(): void {
    this.throttleStreak = 0;
    this.coolingUntil = 0;
  }
}
