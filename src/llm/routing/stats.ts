/** What routing did, per section: calls served, calls that left it for a fallback, cooldowns, streams recovered. */

export interface SectionRouting {
  /** Calls this section answered. */
  served: number;
  /** Calls that left this section's leg for the next one, its retries spent. */
  fallbacks: number;
  /** Times this section, as a deployment, was cooled down after throttling. */
  cooldowns: number;
  /** Streams that broke on this section after content and went on elsewhere. */
  stream_recoveries: number;
}

export class RoutingStats {
  private readonly sections = new Map<string, SectionRouting>();

  count(section: string, what: keyof SectionRouting): void {
    let counts = this.sections.get(section);
    if (!counts) {
      counts = { served: 0, fallbacks: 0, cooldowns: 0, stream_recoveries: 0 };
      this.sections.set(section, counts);
    }
    counts[what] += 1;
  }

  total(what: keyof SectionRouting): number {
    let sum = 0;
    for (const counts of this.sections.values()) sum += counts[what];
    return sum;
  }

  snapshot(): Record<string, SectionRouting> {
    const copy: Record<string, SectionRouting> = {};
    for (const [section, counts] of this.sections) copy[section] = { ...counts };
    return copy;
  }
}
