import type { Pool, PoolClient } from 'pg';
import type { RetentionKind } from '../../configRecords';
import type { Logger } from '../../logger';
import { retentionCutoffs, type RetentionDays } from '../../records/retention';

/** Rows erased per statement: each statement is short, so no table is locked for long. */
export const RETENTION_BATCH = 5000;
/** How often the job runs after the first run at start-up. */
export const RETENTION_INTERVAL_MS = 3600_000;
/** The advisory lock one instance holds while it erases (any fixed number no other Kefu lock uses). */
export const RETENTION_LOCK = 2_917_290_001;

type Target = RetentionKind | 'applied';

/** Where each kind lives and which time its age is counted from. Open handoffs and tickets not done are never erased. */
const TABLES: readonly { kind: Target; table: string; older: string }[] = [
  { kind: 'transcripts', table: 'conversation_lines', older: 'at < $1' },
  { kind: 'handoffs', table: 'handoffs', older: 'closed_at < $1' },
  { kind: 'notes', table: 'handoff_notes', older: 'at < $1' },
  { kind: 'tickets', table: 'tickets', older: "status = 'done' AND created_at < $1" },
  { kind: 'signals', table: 'kb_signals', older: 'at < $1' },
  { kind: 'staff', table: 'staff_actions', older: 'at < $1' },
  { kind: 'subjects', table: 'subjects', older: 'at < $1' },
  { kind: 'applied', table: 'applied_records', older: 'applied_at < $1' },
];

export type RetentionOutcome = { skipped: true } | { skipped: false; removed: Record<Target, number> };

/**
 * Erases what is older than its kind's retention, in batches. Only one instance at a time:
 * the one holding the advisory lock; the others skip this round.
 */
export async function enforceRetention(pool: Pool, days: RetentionDays, now: number = Date.now()): Promise<RetentionOutcome> {
  const client = await pool.connect();
  // A connection that failed mid-way is closed, not pooled: it might still hold the lock.
  let failed = false;
  try {
    const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RETENTION_LOCK]);
    if (!rows[0]?.locked) return { skipped: true };
    const cutoffs = retentionCutoffs(days, now);
    const removed = {} as Record<Target, number>;
    for (const { kind, table, older } of TABLES) removed[kind] = await eraseInBatches(client, table, older, cutoffs[kind]);
    await client.query('SELECT pg_advisory_unlock($1)', [RETENTION_LOCK]);
    return { skipped: false, removed };
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.release(failed);
  }
}

async function eraseInBatches(client: PoolClient, table: string, older: string, cutoff: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const { rowCount } = await client.query(`DELETE FROM ${table} WHERE ctid IN (SELECT ctid FROM ${table} WHERE ${older} LIMIT ${RETENTION_BATCH})`, [cutoff]);
    total += rowCount ?? 0;
    if ((rowCount ?? 0) < RETENTION_BATCH) return total;
  }
}

/** The job as an instance runs it: once at start, then every interval; a failed round is logged and the next one tries again. */
export class RetentionJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly days: RetentionDays,
    private readonly logger: Logger,
    private readonly intervalMs = RETENTION_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), this.intervalMs);
    this.timer.unref();
    void this.runOnce();
  }

  async runOnce(): Promise<void> {
    if (this.running) return this.running;
    this.running = (async () => {
      try {
        const outcome = await enforceRetention(this.pool, this.days);
        if (outcome.skipped) this.logger.debug('retention: another instance is erasing old records');
        else this.logger.info({ removed: outcome.removed }, 'retention: records older than their retention erased');
      } catch (error) {
        this.logger.warn({ err: error }, 'retention: round failed; trying again at the next one');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  /** Stops the timer and waits for a round under way (the pool closes after). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }
}
