/**
 * Requests in flight and the drain of a shutdown: close() waits until the count reaches zero (or a deadline),
 * while requests arriving meanwhile are told the gateway is going away.
 */

/**
 * The abort reason of the calls still in progress when the drain time ran out: the server ended them, not the
 * client, so a stream gets an in-band error event (and the access log says so) instead of being cut.
 */
export class DrainTimedOut extends Error {
  constructor() {
    super("The gateway is shutting down and its drain time ran out.");
    this.name = "DrainTimedOut";
  }
}

export class InFlightRequests {
  private count = 0;
  private stopping = false;
  private onIdle: (() => void) | undefined;

  get size(): number {
    return this.count;
  }

  get draining(): boolean {
    return this.stopping;
  }

  start(): void {
    this.count++;
  }

  finish(): void {
    this.count--;
    if (this.count === 0) this.onIdle?.();
  }

  /** Marks the drain as begun; resolves true once nothing is in flight, false when `timeoutMs` ran out first. */
  async drain(timeoutMs: number): Promise<boolean> {
    this.stopping = true;
    if (this.count === 0) return true;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => {
      this.onIdle = () => resolve(true);
    });
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([idle, late]);
    } finally {
      clearTimeout(timer);
      this.onIdle = undefined;
    }
  }
}
