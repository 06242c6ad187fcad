import type { Pool, PoolClient } from 'pg';
import { handoffSchema, noteSchema, ticketSchema, transcriptEntrySchema, type Handoff, type Ticket } from '../../../domain/handoff';
import type { HistoryQuery } from '../../handoff/history';
import type { HistoryRecords } from '../../records/historyRecords';
import { phoneDigits, phoneKeyOf } from '../../records/phoneKey';
import type { DurableRecord } from '../../records/schema';

/** The last four digits of each number in masked text (138****0002, or seven digits then four). */
const PHONE_TAIL = /(?:\d{3}\*{4}|\d{7})(\d{4})(?!\d)/g;
const CASE_ID = /(?:AP|T)-\d{8}-[0-9A-Z]{4}/g;

export const phoneTailsOf = (text: string): string[] => [...new Set([...text.matchAll(PHONE_TAIL)].map((m) => m[1] ?? ''))];
export const caseIdsOf = (text: string): string[] => [...new Set(text.toUpperCase().match(CASE_ID) ?? [])];

const at = (ms: number) => new Date(ms);

/**
 * The durable records in PostgreSQL: written from the outbox, exactly once (applied_records
 * holds every record id applied, in the same transaction), and read back for the history.
 */
export class PostgresRecords implements HistoryRecords {
  constructor(
    private readonly pool: Pool,
    /** The secret ticket contacts are keyed with (phoneKeyOf). */
    private readonly phoneSecret: string,
  ) {}

  /** Applies every record not applied before, in one transaction. */
  async apply(records: readonly DurableRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const fresh = await client.query<{ id: string }>('INSERT INTO applied_records (id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING RETURNING id', [records.map((r) => r.id)]);
      const ids = new Set(fresh.rows.map((row) => row.id));
      const toWrite = records.filter((record) => ids.has(record.id));
      // Lines are most of what is written: one statement for all of them.
      await this.writeLines(client, toWrite.filter((record) => record.kind === 'line'));
      for (const record of toWrite) if (record.kind !== 'line') await this.write(client, record);
      await client.query('COMMIT');
      return ids.size;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async writeLines(client: PoolClient, lines: readonly Extract<DurableRecord, { kind: 'line' }>[]): Promise<void> {
    if (lines.length === 0) return;
    const rows = lines.map(({ id, conversation, entry }) => ({
      id,
      conversation,
      at: at(entry.at).toISOString(),
      sender: entry.from,
      body: entry,
      tails: entry.from === 'user' ? phoneTailsOf(entry.text) : [],
      cases: caseIdsOf(entry.text),
    }));
    await client.query(
      `INSERT INTO conversation_lines (id, conversation, at, sender, body, phone_tails, case_ids)
       SELECT id, conversation, at, sender, body, ARRAY(SELECT jsonb_array_elements_text(tails)), ARRAY(SELECT jsonb_array_elements_text(cases))
       FROM jsonb_to_recordset($1::jsonb) AS x(id text, conversation text, at timestamptz, sender text, body jsonb, tails jsonb, cases jsonb)
       ON CONFLICT DO NOTHING`,
      [JSON.stringify(rows)],
    );
  }

  private async write(client: PoolClient, record: Exclude<DurableRecord, { kind: 'line' }>): Promise<void> {
    switch (record.kind) {
      case 'handoff': {
        const h = record.handoff;
        const tail = h.context.trail?.maskedPhone ? (phoneTailsOf(h.context.trail.maskedPhone)[0] ?? null) : null;
        await client.query(
          `INSERT INTO handoffs (id, conversation, status, created_at, closed_at, phone_tail, revision, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (id) DO UPDATE SET status = excluded.status, closed_at = excluded.closed_at, phone_tail = excluded.phone_tail, revision = excluded.revision, body = excluded.body
           WHERE handoffs.revision < excluded.revision`,
          [h.id, h.conversation, h.status, at(h.createdAt), h.closedAt === undefined ? null : at(h.closedAt), tail, record.revision, h],
        );
        return;
      }
      case 'note':
        await client.query('INSERT INTO handoff_notes (id, handoff_id, at, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [record.id, record.handoffId, at(record.note.at), record.note]);
        return;
      case 'ticket': {
        const t = record.ticket;
        const key = phoneKeyOf(this.phoneSecret, t.contact);
        await client.query(
          `INSERT INTO tickets (id, conversation, status, created_at, contact_tail, contact_key, revision, body) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (id) DO UPDATE SET status = excluded.status, revision = excluded.revision, body = excluded.body WHERE tickets.revision < excluded.revision`,
          [t.id, t.conversation, t.status, at(t.createdAt), phoneDigits(t.contact).slice(-4), key, record.revision, t],
        );
        await client.query('INSERT INTO subjects (phone_key, conversation, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [key, t.conversation, at(t.createdAt)]);
        return;
      }
      case 'subject':
        await client.query('INSERT INTO subjects (phone_key, conversation, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [record.phoneKey, record.conversation, at(record.at)]);
        return;
      case 'signal':
        await client.query('INSERT INTO kb_signals (id, at, conversation, body) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING', [record.id, at(record.at), record.conversation, record.signal]);
        return;
      case 'staff':
        await client.query('INSERT INTO staff_actions (id, at, actor, action, target, body) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING', [
          record.id,
          at(record.at),
          record.actor,
          record.action,
          record.target ?? null,
          record.detail ?? {},
        ]);
        return;
      case 'count':
        for (const [field, value] of Object.entries(record.counts)) {
          await client.query(
            'INSERT INTO insights_counts (day, field, value) VALUES ($1, $2, $3) ON CONFLICT (day, field) DO UPDATE SET value = insights_counts.value + excluded.value',
            [record.day, field, value],
          );
        }
        return;
    }
  }

  async transcript(conversation: string) {
    const { rows } = await this.pool.query<{ body: unknown }>('SELECT body FROM conversation_lines WHERE conversation = $1 ORDER BY at, id', [conversation]);
    return rows.map((row) => transcriptEntrySchema.parse(row.body));
  }

  async handoff(id: string) {
    const { rows } = await this.pool.query<{ body: unknown }>('SELECT body FROM handoffs WHERE id = $1', [id]);
    return rows[0] ? handoffSchema.parse(rows[0].body) : undefined;
  }

  async notes(handoffId: string) {
    const { rows } = await this.pool.query<{ body: unknown }>('SELECT body FROM handoff_notes WHERE handoff_id = $1 ORDER BY at, id', [handoffId]);
    return rows.map((row) => noteSchema.parse(row.body));
  }

  async closedSince(since: number, limit: number) {
    const { rows } = await this.pool.query<{ body: unknown }>('SELECT body FROM handoffs WHERE closed_at >= $1 ORDER BY closed_at DESC LIMIT $2', [at(since), limit]);
    return rows.map((row) => handoffSchema.parse(row.body));
  }

  async search(query: HistoryQuery, limit: number): Promise<{ handoffs: Handoff[]; tickets: Ticket[] }> {
    const chats =
      query.kind === 'lastFour'
        ? `SELECT body FROM handoffs WHERE closed_at IS NOT NULL AND (phone_tail = $1
             OR conversation IN (SELECT conversation FROM conversation_lines WHERE phone_tails @> ARRAY[$1::text] AND sender = 'user'))`
        : `SELECT body FROM handoffs WHERE closed_at IS NOT NULL AND (id LIKE replace(replace(replace($1, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%'
             OR conversation IN (SELECT conversation FROM conversation_lines WHERE case_ids @> ARRAY[$1::text]))`;
    const tickets =
      query.kind === 'lastFour'
        ? `SELECT body FROM tickets WHERE status = 'done' AND contact_tail = $1 ORDER BY created_at DESC LIMIT $2`
        : `SELECT body FROM tickets WHERE status = 'done' AND id = $1 ORDER BY created_at DESC LIMIT $2`;
    const value = query.kind === 'lastFour' ? query.digits : query.id;
    const [found, done] = await Promise.all([
      this.pool.query<{ body: unknown }>(`${chats} AND body->>'external' IS DISTINCT FROM 'true' ORDER BY closed_at DESC LIMIT $2`, [value, limit]),
      this.pool.query<{ body: unknown }>(tickets, [value, limit]),
    ]);
    return { handoffs: found.rows.map((row) => handoffSchema.parse(row.body)), tickets: done.rows.map((row) => ticketSchema.parse(row.body)) };
  }
}
