import type { Pool } from 'pg';
import { dayKept, incrementsOf, lastDays, type DayCounts, type InsightsEvent, type InsightsRecorder } from '../../desk/insights';
import type { Outbox } from '../../records/outbox';
import { recordId } from '../../records/recordId';

/**
 * The knowledge desk's daily counters in PostgreSQL (insights_counts, one row per day and
 * field). A turn only queues a `count` record in the outbox; the drainer adds it to the row.
 * Days older than `keepDays` are deleted when the counters are read: the table grows by at
 * most a few rows a day whatever the traffic, and a lead reading Insights is when it matters.
 */
export class PostgresInsights implements InsightsRecorder {
  constructor(
    private readonly outbox: Outbox,
    private readonly pool: Pool,
    private readonly keepDays: number,
    private readonly now: () => number = Date.now,
  ) {}

  async record(event: InsightsEvent, at = this.now()): Promise<void> {
    const { day, counts } = incrementsOf(event, at);
    if (!dayKept(day, this.keepDays, this.now())) return;
    await this.outbox.push([{ kind: 'count', id: recordId(), day, counts }]);
  }

  async read(dates: readonly string[]): Promise<DayCounts[]> {
    if (dates.length === 0) return [];
    const [oldestKept] = lastDays(this.keepDays, this.now());
    await this.pool.query('DELETE FROM insights_counts WHERE day < $1::date', [oldestKept]);
    // day::text: a date column would come back as a Date at local midnight.
    const { rows } = await this.pool.query<{ day: string; field: string; value: string }>(
      'SELECT day::text AS day, field, value::text AS value FROM insights_counts WHERE day = ANY($1::date[])',
      [dates],
    );
    const byDay = new Map<string, DayCounts>();
    for (const row of rows) {
      const counts = byDay.get(row.day) ?? {};
      counts[row.field] = Number(row.value);
      byDay.set(row.day, counts);
    }
    return dates.map((date) => ({ ...(byDay.get(date) ?? {}) }));
  }
}
