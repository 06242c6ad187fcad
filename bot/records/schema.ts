import { z } from 'zod';
import { handoffSchema, noteSchema, ticketSchema, transcriptEntrySchema } from '../../domain/handoff';
import { localeSchema } from '../../domain/locale';

/**
 * What Kefu keeps for later, as it travels through the outbox to PostgreSQL. Every record
 * has an id given when it was queued: a record delivered twice (an instance died between
 * writing and acknowledging) is applied once.
 */

/** One transcript line of a conversation (masked, as every transcript line). */
export const lineRecordSchema = z.object({ kind: z.literal('line'), id: z.string(), conversation: z.string(), entry: transcriptEntrySchema });

/**
 * A handoff as it stands after a change. `revision` orders the writes of one handoff,
 * whichever instance drains them: see revisionOf.
 */
export const handoffRecordSchema = z.object({ kind: z.literal('handoff'), id: z.string(), handoff: handoffSchema, revision: z.number().int() });

export const noteRecordSchema = z.object({ kind: z.literal('note'), id: z.string(), handoffId: z.string(), note: noteSchema });

export const ticketRecordSchema = z.object({ kind: z.literal('ticket'), id: z.string(), ticket: ticketSchema, revision: z.number().int() });

/** A number used in a conversation, as its keyed hash (bot/records/phoneKey.ts): how a user's data is found. */
export const subjectRecordSchema = z.object({ kind: z.literal('subject'), id: z.string(), phoneKey: z.string(), conversation: z.string(), at: z.number() });

const kbSignalSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('unanswered'), question: z.string(), locale: localeSchema }),
  z.object({ kind: z.literal('feedback'), vote: z.enum(['up', 'down']), entryId: z.string(), question: z.string(), locale: localeSchema }),
]);
/** A question that fell back, or a vote (question masked; conversation as the signal log keeps it). */
export const signalRecordSchema = z.object({ kind: z.literal('signal'), id: z.string(), at: z.number(), conversation: z.string(), signal: kbSignalSchema });

/** What a member of staff did, and to which record: never the data itself. */
export const staffActionRecordSchema = z.object({
  kind: z.literal('staff'),
  id: z.string(),
  at: z.number(),
  actor: z.string(),
  action: z.string(),
  target: z.string().optional(),
  detail: z.record(z.union([z.string(), z.number(), z.boolean()])).optional(),
});

/** Adds to the knowledge desk's daily counters (China-time date). */
export const countRecordSchema = z.object({ kind: z.literal('count'), id: z.string(), day: z.string(), counts: z.record(z.number().int()) });

export const durableRecordSchema = z.discriminatedUnion('kind', [
  lineRecordSchema,
  handoffRecordSchema,
  noteRecordSchema,
  ticketRecordSchema,
  subjectRecordSchema,
  signalRecordSchema,
  staffActionRecordSchema,
  countRecordSchema,
]);
export type DurableRecord = z.infer<typeof durableRecordSchema>;
export type RecordKind = DurableRecord['kind'];
