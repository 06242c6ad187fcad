import { dayKept, incrementsOf, type DayCounts, type InsightsEvent, type InsightsRecorder } from '../../desk/insights';

/** The daily counters of one instance (the embedded default): only the last `keepDays` days are kept. */
export class MemoryInsights implements InsightsRecorder {
  private readonly days = new Map<string, DayCounts>();

  constructor(
    private readonly keepDays: number,
    private readonly now: () => number = Date.now,
  ) {}

  async record(event: InsightsEvent, at = this.now()): Promise<void> {
    const { day, counts } = incrementsOf(event, at);
    const now = this.now();
    for (const kept of this.days.keys()) if (!dayKept(kept, this.keepDays, now)) this.days.delete(kept);
    if (!dayKept(day, this.keepDays, now)) return;
    const stored = this.days.get(day) ?? {};
    for (const [field, by] of Object.entries(counts)) stored[field] = (stored[field] ?? 0) + by;
    this.days.set(day, stored);
  }

  async read(dates: readonly string[]): Promise<DayCounts[]> {
    return dates.map((date) => ({ ...(this.days.get(date) ?? {}) }));
  }

  /** How many days hold counters (for tests of the bound). */
  get size(): number {
    return this.days.size;
  }
}
