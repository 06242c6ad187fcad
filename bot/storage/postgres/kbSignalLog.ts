import type { Pool } from 'pg';
import type { KbSignal } from '../../../domain/kbSignal';
import type { Outbox } from '../../records/outbox';
import { recordId } from '../../records/recordId';
import { signalRecordSchema } from '../../records/schema';
import { stored, type KbSignalLog, type StoredKbSignal } from '../kbSignalLog';

const signalSchema = signalRecordSchema.shape.signal;

/**
 * Questions that fell back and 👍/👎 votes in PostgreSQL (kb_signals), with DATABASE_URL. A
 * turn only queues the masked signal in the outbox; readers (the desk's unanswered tab,
 * Insights, `kb unanswered`) get the newest `kept`, oldest first. How long rows stay is the
 * retention job's (RETENTION_DAYS_BY_KIND signals=…).
 */
export class PostgresKbSignalLog implements KbSignalLog {
  constructor(
    private readonly outbox: Outbox,
    private readonly pool: Pool,
    private readonly kept = 10_000,
  ) {}

  async append(signal: KbSignal, conversation: string): Promise<void> {
    const kept = stored(signal, conversation);
    await this.outbox.push([{ kind: 'signal', id: recordId(), at: Date.parse(kept.at), conversation, signal: { ...signal, question: kept.question } }]);
  }

  async list(): Promise<StoredKbSignal[]> {
    const { rows } = await this.pool.query<{ at: Date; conversation: string; body: unknown }>(
      'SELECT at, conversation, body FROM (SELECT id, at, conversation, body FROM kb_signals ORDER BY at DESC, id DESC LIMIT $1) newest ORDER BY at, id',
      [this.kept],
    );
    return rows.map((row) => ({ ...signalSchema.parse(row.body), at: row.at.toISOString(), conversation: row.conversation }));
  }
}
