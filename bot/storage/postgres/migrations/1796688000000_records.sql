-- Kefu's durable records (issue 29). Migrations are additive only: a newer instance adds
-- tables, columns and indexes an older one ignores, so both run side by side mid-rollout.
-- Every row is written from the outbox (bot/records/drain.ts): ids are given when the record
-- is queued, so a record delivered twice is applied once (applied_records).

-- Up Migration

-- Ids of the outbox records already applied, for exactly-once writes; kept two days
-- (longer than any record stays in the outbox), pruned by the retention job.
CREATE TABLE applied_records (
  id text PRIMARY KEY,
  applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX applied_records_applied_at ON applied_records (applied_at);

-- One line of a conversation as the user, the bot or an agent wrote it; text masked.
CREATE TABLE conversation_lines (
  id text PRIMARY KEY,
  conversation text NOT NULL,
  at timestamptz NOT NULL,
  sender text NOT NULL,
  body jsonb NOT NULL,
  -- The last four digits of every number in the (masked) text, and the case ids it names:
  -- what the agents' history searches by.
  phone_tails text[] NOT NULL DEFAULT '{}',
  case_ids text[] NOT NULL DEFAULT '{}'
);
CREATE INDEX conversation_lines_conversation ON conversation_lines (conversation, at);
CREATE INDEX conversation_lines_at ON conversation_lines (at);
CREATE INDEX conversation_lines_phone_tails ON conversation_lines USING gin (phone_tails);
CREATE INDEX conversation_lines_case_ids ON conversation_lines USING gin (case_ids);

-- A handoff as it last stood (status, agent, rating). `revision` orders the writes of one
-- handoff: a write older than the stored one changes nothing.
CREATE TABLE handoffs (
  id text PRIMARY KEY,
  conversation text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  closed_at timestamptz,
  phone_tail text,
  revision bigint NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX handoffs_closed_at ON handoffs (closed_at DESC) WHERE closed_at IS NOT NULL;
CREATE INDEX handoffs_conversation ON handoffs (conversation);
CREATE INDEX handoffs_id_prefix ON handoffs (id text_pattern_ops);
CREATE INDEX handoffs_phone_tail ON handoffs (phone_tail) WHERE phone_tail IS NOT NULL;

CREATE TABLE handoff_notes (
  id text PRIMARY KEY,
  handoff_id text NOT NULL,
  at timestamptz NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX handoff_notes_handoff ON handoff_notes (handoff_id, at);
CREATE INDEX handoff_notes_at ON handoff_notes (at);

-- Messages left for the team. The contact is kept whole for the callback; contact_key is
-- its keyed hash, so a user's tickets are found by number without scanning.
CREATE TABLE tickets (
  id text PRIMARY KEY,
  conversation text NOT NULL,
  status text NOT NULL,
  created_at timestamptz NOT NULL,
  contact_tail text NOT NULL,
  contact_key text NOT NULL,
  revision bigint NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX tickets_created_at ON tickets (created_at DESC);
CREATE INDEX tickets_contact_tail ON tickets (contact_tail);
CREATE INDEX tickets_contact_key ON tickets (contact_key);
CREATE INDEX tickets_conversation ON tickets (conversation);

-- Which conversations a number was used in (keyed hash of the number): how a user's data
-- is found for export and erasure.
CREATE TABLE subjects (
  phone_key text NOT NULL,
  conversation text NOT NULL,
  at timestamptz NOT NULL,
  PRIMARY KEY (phone_key, conversation)
);
CREATE INDEX subjects_conversation ON subjects (conversation);
CREATE INDEX subjects_at ON subjects (at);

-- Questions that fell back and votes, for the knowledge desk (question masked,
-- conversation as the signal log keeps it).
CREATE TABLE kb_signals (
  id text PRIMARY KEY,
  at timestamptz NOT NULL,
  conversation text NOT NULL,
  body jsonb NOT NULL
);
CREATE INDEX kb_signals_at ON kb_signals (at);
CREATE INDEX kb_signals_conversation ON kb_signals (conversation);

-- What staff did (agents and leads): who, what, to which record. Never the data itself.
CREATE TABLE staff_actions (
  id text PRIMARY KEY,
  at timestamptz NOT NULL,
  actor text NOT NULL,
  action text NOT NULL,
  target text,
  body jsonb NOT NULL
);
CREATE INDEX staff_actions_at ON staff_actions (at);
CREATE INDEX staff_actions_target ON staff_actions (target);

-- Published knowledge-base versions.
CREATE TABLE kb_versions (
  number integer PRIMARY KEY,
  published_at timestamptz NOT NULL,
  body jsonb NOT NULL
);

-- The knowledge desk's daily counters (China-time dates).
CREATE TABLE insights_counts (
  day date NOT NULL,
  field text NOT NULL,
  value bigint NOT NULL,
  PRIMARY KEY (day, field)
);

-- Down Migration
DROP TABLE insights_counts, kb_versions, staff_actions, kb_signals, subjects, tickets, handoff_notes, handoffs, conversation_lines, applied_records;
