import { dayExpiresAt, incrementsOf, type DayCounts, type InsightsEvent, type InsightsRecorder } from '../../desk/insights';
import type { RedisClient } from './connection';
import { keys } from './keys';

/** The key of one China-time day's counters. */
export const insightsKey = (day: string): string => keys.shared(`insights:${day}`);

/**
 * The daily counters shared by every instance: one hash per day (HINCRBY), which expires
 * `keepDays` after its day began, so Redis holds at most that many days whatever the traffic.
 */
export class RedisInsights implements InsightsRecorder {
  constructor(
    private readonly redis: RedisClient,
    private readonly keepDays: number,
    private readonly now: () => number = Date.now,
  ) {}

  async record(event: InsightsEvent, at = this.now()): Promise<void> {
    const { day, counts } = incrementsOf(event, at);
    const key = insightsKey(day);
    const write = this.redis.multi();
    for (const [field, by] of Object.entries(counts)) write.hincrby(key, field, by);
    // A day already past the bound expires at once (EXPIREAT in the past deletes the key).
    write.pexpireat(key, dayExpiresAt(day, this.keepDays));
    await write.exec();
  }

  async read(dates: readonly string[]): Promise<DayCounts[]> {
    if (dates.length === 0) return [];
    const read = this.redis.multi();
    for (const date of dates) read.hgetall(insightsKey(date));
    const results = (await read.exec()) ?? [];
    return dates.map((_, i) => {
      const [error, hash] = results[i] ?? [null, {}];
      if (error) throw error;
      const counts: DayCounts = {};
      for (const [field, value] of Object.entries((hash ?? {}) as Record<string, string>)) counts[field] = Number(value);
      return counts;
    });
  }
}
