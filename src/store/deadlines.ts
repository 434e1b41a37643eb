/**
 * Deadlines for store commands without a timer each: node-redis's own command timeout builds an
 * AbortSignal.timeout per command (about 20 us of CPU, a third of a command's cost on loopback), so the store turns
 * it off and fails what Redis has not answered in time here, with one coarse check for all commands in flight.
 * A command fails between `ms` and `ms` plus a quarter of it after it was sent.
 */
export class Deadlines {
  private pending: { at: number; done: boolean; fail: (error: Error) => void }[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly failure: (ms: number) => Error,
    private readonly now: () => number = performance.now.bind(performance),
  ) {}

  /** `command`, or its failure when it takes longer than the deadline. */
  guard<T>(command: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const entry = { at: this.now() + this.ms, done: false, fail: reject };
      this.pending.push(entry);
      this.timer ??= setInterval(() => this.check(), Math.max(10, this.ms / 4)).unref();
      command.then(
        (value) => {
          entry.done = true;
          resolve(value);
        },
        (error: unknown) => {
          entry.done = true;
          reject(error);
        },
      );
    });
  }

  /** Fails the commands past their deadline; forgets the answered ones. Commands are checked in the order sent. */
  private check(): void {
    const now = this.now();
    let i = 0;
    for (; i < this.pending.length; i++) {
      const entry = this.pending[i] as (typeof this.pending)[number];
      if (entry.done) continue;
      if (entry.at > now) break; // every later one was sent later
      entry.done = true;
      entry.fail(this.failure(this.ms));
    }
    this.pending.splice(0, i);
    if (this.pending.length === 0) this.stop();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
