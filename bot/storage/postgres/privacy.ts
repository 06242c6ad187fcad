import type { Pool, PoolClient } from 'pg';
import { handoffSchema, noteSchema, ticketSchema, transcriptEntrySchema, type Handoff, type Note, type Ticket, type TranscriptEntry } from '../../../domain/handoff';
import { maskPhone, maskText } from '../../../domain/mask';
import { hashId } from '../../logger';
import { recordId } from '../../records/recordId';

/**
 * A user's rights over what the records keep (issue 29): everything linked to their number
 * found, exported as they would see it, or erased in one transaction. Their conversations
 * are those the number was used in (subjects) and those they left a message from (tickets).
 */
export interface SubjectScope {
  conversations: string[];
  /** The conversations as KB signals name them (bot/logger.ts hashId). */
  signalConversations: string[];
  handoffIds: string[];
  ticketIds: string[];
}

type Queryable = Pick<Pool | PoolClient, 'query'>;

/**
 * KB signals name a conversation by the hash of the channel's conversation id (the key
 * without its "<channel>:" prefix); the key's own hash is included in case a store hashes it whole.
 */
export const signalConversationsOf = (conversations: readonly string[]): string[] =>
  [...new Set(conversations.flatMap((key) => [hashId(key.slice(key.indexOf(':') + 1)), hashId(key)]))];

export async function scopeOf(db: Queryable, phoneKey: string): Promise<SubjectScope> {
  const { rows } = await db.query<{ conversation: string }>(
    'SELECT conversation FROM subjects WHERE phone_key = $1 UNION SELECT conversation FROM tickets WHERE contact_key = $1 ORDER BY 1',
    [phoneKey],
  );
  const conversations = rows.map((row) => row.conversation);
  const [handoffs, tickets] = await Promise.all([
    db.query<{ id: string }>('SELECT id FROM handoffs WHERE conversation = ANY($1) ORDER BY created_at, id', [conversations]),
    db.query<{ id: string }>('SELECT id FROM tickets WHERE conversation = ANY($1) OR contact_key = $2 ORDER BY created_at, id', [conversations, phoneKey]),
  ]);
  return { conversations, signalConversations: signalConversationsOf(conversations), handoffIds: handoffs.rows.map((r) => r.id), ticketIds: tickets.rows.map((r) => r.id) };
}

export interface SubjectExport {
  /** The number, masked as every page shows it. */
  phone: string;
  exportedAt: string;
  conversations: {
    conversation: string;
    lines: TranscriptEntry[];
    handoffs: (Handoff & { notes: Note[] })[];
    tickets: Ticket[];
    kbSignals: unknown[];
  }[];
}

/** Everything kept about the number, masked as the user would see it (transcripts are masked when written; notes and tickets here). */
export async function exportSubject(db: Queryable, phoneKey: string, phone: string, now: number = Date.now()): Promise<SubjectExport> {
  const scope = await scopeOf(db, phoneKey);
  const [lines, handoffs, notes, tickets, signals] = await Promise.all([
    db.query<{ conversation: string; body: unknown }>('SELECT conversation, body FROM conversation_lines WHERE conversation = ANY($1) ORDER BY at, id', [scope.conversations]),
    db.query<{ body: unknown }>('SELECT body FROM handoffs WHERE id = ANY($1) ORDER BY created_at, id', [scope.handoffIds]),
    db.query<{ handoff_id: string; body: unknown }>('SELECT handoff_id, body FROM handoff_notes WHERE handoff_id = ANY($1) ORDER BY at, id', [scope.handoffIds]),
    db.query<{ body: unknown }>('SELECT body FROM tickets WHERE id = ANY($1) ORDER BY created_at, id', [scope.ticketIds]),
    db.query<{ conversation: string; at: Date; body: Record<string, unknown> }>('SELECT conversation, at, body FROM kb_signals WHERE conversation = ANY($1) ORDER BY at, id', [scope.signalConversations]),
  ]);
  const notesOf = (id: string) => notes.rows.filter((row) => row.handoff_id === id).map((row) => noteSchema.parse(row.body)).map((note) => ({ ...note, text: maskText(note.text) }));
  const allHandoffs = handoffs.rows.map((row) => handoffSchema.parse(row.body));
  const allTickets = tickets.rows.map((row) => ticketSchema.parse(row.body)).map((t) => ({ ...t, contact: maskPhone(t.contact), text: maskText(t.text) }));
  return {
    phone: maskPhone(phone),
    exportedAt: new Date(now).toISOString(),
    conversations: scope.conversations.map((conversation) => {
      const hashes = new Set(signalConversationsOf([conversation]));
      return {
        conversation,
        lines: lines.rows.filter((row) => row.conversation === conversation).map((row) => transcriptEntrySchema.parse(row.body)),
        handoffs: allHandoffs.filter((h) => h.conversation === conversation).map((h) => ({ ...h, notes: notesOf(h.id) })),
        tickets: allTickets.filter((t) => t.conversation === conversation),
        kbSignals: signals.rows.filter((row) => hashes.has(row.conversation)).map((row) => ({ ...row.body, at: row.at.toISOString() })),
      };
    }),
  };
}

/** What an erasure removed, per kind: the only thing the audit log keeps of it. */
export type Erased = Record<'conversations' | 'lines' | 'handoffs' | 'notes' | 'tickets' | 'kbSignals' | 'subjects', number>;

/**
 * Erases every row of the scope and the number's links in ONE transaction, and records who
 * asked and the counts (never the number, its key or the conversations) as a staff action,
 * with `elsewhere`: what was erased from Redis before (so a failure there leaves the links
 * that let a second run find everything).
 */
export async function eraseSubject(pool: Pool, phoneKey: string, actor: string, elsewhere: Record<string, number> = {}, now: number = Date.now()): Promise<Erased> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Found inside the transaction: a ticket or link written meanwhile is erased too, or waits for it.
    const scope = await scopeOf(client, phoneKey);
    const count = async (sql: string, values: unknown[]) => (await client.query(sql, values)).rowCount ?? 0;
    const erased: Erased = {
      conversations: scope.conversations.length,
      lines: await count('DELETE FROM conversation_lines WHERE conversation = ANY($1)', [scope.conversations]),
      notes: await count('DELETE FROM handoff_notes WHERE handoff_id = ANY($1)', [scope.handoffIds]),
      handoffs: await count('DELETE FROM handoffs WHERE id = ANY($1) OR conversation = ANY($2)', [scope.handoffIds, scope.conversations]),
      tickets: await count('DELETE FROM tickets WHERE id = ANY($1) OR contact_key = $2', [scope.ticketIds, phoneKey]),
      kbSignals: await count('DELETE FROM kb_signals WHERE conversation = ANY($1)', [scope.signalConversations]),
      subjects: await count('DELETE FROM subjects WHERE phone_key = $1 OR conversation = ANY($2)', [phoneKey, scope.conversations]),
    };
    await client.query('INSERT INTO staff_actions (id, at, actor, action, target, body) VALUES ($1, $2, $3, $4, NULL, $5)', [recordId(now), new Date(now), actor, 'privacy.delete', { ...erased, ...elsewhere }]);
    await client.query('COMMIT');
    return erased;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** Records that the number's data was exported, and by whom (counts only). */
export async function logExport(pool: Pool, actor: string, exported: SubjectExport, now: number = Date.now()): Promise<void> {
  const detail = { conversations: exported.conversations.length, lines: exported.conversations.reduce((n, c) => n + c.lines.length, 0) };
  await pool.query('INSERT INTO staff_actions (id, at, actor, action, target, body) VALUES ($1, $2, $3, $4, NULL, $5)', [recordId(now), new Date(now), actor, 'privacy.export', detail]);
}
