/**
 * Concurrency limit: up to `max` requests run at once, up to `maxQueue` more wait in FIFO order, the rest are
 * refused at once (the caller answers 429) rather than piling up until the process falls over.
 */
export class ConcurrencyLimiter {
  private running = 0;
  private readonly waiting: { grant: (ok: boolean) => void }[] = [];

  constructor(
    private readonly max: number,
    private readonly maxQueue: number,
  ) {}

  get active(): number {
    return this.running;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves true with a slot held (call release() once), false when refused or the signal fired while queued. */
  acquire(signal?: AbortSignal): Promise<boolean> {
    if (this.running < this.max) {
      this.running++;
      return Promise.resolve(true);
    }
    if (this.waiting.length >= this.maxQueue || signal?.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      const entry = {
        grant: (ok: boolean) => {
          signal?.removeEventListener("abort", onAbort);
          resolve(ok);
        },
      };
      const onAbort = () => {
        const index = this.waiting.indexOf(entry);
        if (index >= 0) this.waiting.splice(index, 1);
        entry.grant(false);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.waiting.push(entry);
    });
  }

  release(): void {
    const next = this.waiting.shift();
    if (next)
      next.grant(true); // the slot passes straight to the next in line
    else this.running--;
  }
}
