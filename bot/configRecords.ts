import { z } from 'zod';
import { integer } from './configInteger';

/**
 * The variables of durable records and their lifetimes (issue 29), kept beside config.ts
 * and spread into its schema: one definition, documented in .env.example and the README
 * like every other variable.
 */


/** The kinds of record RETENTION_DAYS_BY_KIND may name. */
export const RETENTION_KINDS = ['transcripts', 'handoffs', 'notes', 'tickets', 'signals', 'staff', 'subjects'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

const RETENTION_OVERRIDE = new RegExp(`^(${RETENTION_KINDS.join('|')})=\\d{1,5}(,(${RETENTION_KINDS.join('|')})=\\d{1,5})*$`);

export const recordsConfigFields = {
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'expected a postgres:// or postgresql:// URL')
    .optional()
    .describe('PostgreSQL 15+ for the durable records: transcripts, handoffs, notes, tickets, ratings, KB signals, staff actions, knowledge versions and daily figures. Written through an outbox, so turns never wait on it. Empty: records stay in memory or Redis, as long as hot state.'),
  DB_MIGRATE: z
    .enum(['auto', 'off'])
    .default('auto')
    .describe('auto: bring the database\'s tables up to date at start-up (instances starting together migrate once). off: only `npm run db:migrate` does it.'),
  HOT_STATE_TTL_S: integer(1, 31536000)
    .default(86400)
    .describe('A conversation\'s live state (bot state, Direct Line log and files, the handoff reference, the recent transcript) is dropped this many seconds after its last change, in memory and in Redis. A user who comes back later starts fresh; with DATABASE_URL the history stays findable.'),
  OUTBOX_MAX: integer(1000, 100000000)
    .default(1000000)
    .describe('Writes waiting for the database at most (each a turn\'s records); beyond this the oldest are dropped and logged. Reached only when PostgreSQL is away for long.'),
  RECORDS_SECRET: z
    .string()
    .min(16, 'expected at least 16 characters')
    .optional()
    .describe('Server secret phone numbers are keyed with in the records, so a user\'s data is found by number (npm run privacy) without the database keeping the number beside it. Required with DATABASE_URL in production; every instance and the privacy command need the same value.'),
  RETENTION_DAYS: integer(1, 3650)
    .default(180)
    .describe('Days each durable record is kept in PostgreSQL after it was written (a handoff after it closed; open handoffs and tickets not done stay); a job erases older ones at start-up and hourly, one instance at a time.'),
  RETENTION_DAYS_BY_KIND: z
    .string()
    .regex(RETENTION_OVERRIDE, `expected kind=days[,kind=days…] with kinds ${RETENTION_KINDS.join(', ')}`)
    .optional()
    .describe(`Per kind of record, days that differ from RETENTION_DAYS, e.g. "staff=365,signals=90" (kinds: ${RETENTION_KINDS.join(', ')}).`),
};

/** The secret a development database is keyed with when RECORDS_SECRET is not set (refused in production). */
export const DEV_RECORDS_SECRET = 'kefu-development-records-key';
