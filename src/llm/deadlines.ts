/**
 * Call timeouts on one shared timer. A setTimeout armed and cleared on every call shows up in the benchmark (its
 * bookkeeping costs about as much as the whole request translation), and calls almost never time out. So every
 * call registers its deadline here; the single timer is armed for the earliest deadline only and re-armed when it
 * fires. In steady traffic (each new deadline later than the armed one) a call costs a Set insert and delete.
 */
export interface Deadline {
  /** performance.now() value at which the call times out; may move later, never earlier. */
  readonly at: number;
  expire(): void;
}

class DeadlineWatch {
  private readonly active = new Set<Deadline>();
  private timer: NodeJS.Timeout | undefined;
  private armedFor = Number.POSITIVE_INFINITY;

  add(deadline: Deadline): void {
    this.active.add(deadline);
    if (deadline.at < this.armedFor) this.arm(deadline.at);
  }

  /** A finished call leaves; the timer stays armed and sorts things out if it fires. */
  remove(deadline: Deadline): void {
    this.active.delete(deadline);
  }

  private arm(at: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.armedFor = at;
    this.timer = setTimeout(this.fire, Math.max(0, at - performance.now()));
    // Pending calls keep the process alive through their sockets; the watch itself must not.
    this.timer.unref();
  }

  private readonly fire = (): void => {
    this.timer = undefined;
    this.armedFor = Number.POSITIVE_INFINITY;
    const now = performance.now();
    let next = Number.POSITIVE_INFINITY;
    for (const deadline of this.active) {
      if (deadline.at <= now) {
        this.active.delete(deadline);
        deadline.expire();
      } else if (deadline.at < next) {
        next = deadline.at;
      }
    }
    if (next !== Number.POSITIVE_INFINITY) this.arm(next);
  };
}

export const deadlines = new DeadlineWatch();
