import type { Handoff, Note, Ticket, TranscriptEntry } from '../../domain/handoff';
import type { HistoryQuery } from '../handoff/history';

/**
 * The handoff history as the database keeps it, beyond what the hot store still holds:
 * read by the agents' history and by a chat whose hot state has expired.
 */
export interface HistoryRecords {
  transcript(conversation: string): Promise<TranscriptEntry[]>;
  handoff(id: string): Promise<Handoff | undefined>;
  notes(handoffId: string): Promise<Note[]>;
  /** Closed at or after `since`, newest first. */
  closedSince(since: number, limit: number): Promise<Handoff[]>;
  /** Closed chats (not handed to an external hub) and done tickets matching the query, newest first: indexed lookups, never a scan. */
  search(query: HistoryQuery, limit: number): Promise<{ handoffs: Handoff[]; tickets: Ticket[] }>;
}

/**
 * A closed chat's transcript from both stores: the hot store holds the newest lines (and
 * may hold lines the database has not got yet), the database everything before them.
 */
export function mergeTranscripts(durable: readonly TranscriptEntry[], hot: readonly TranscriptEntry[]): TranscriptEntry[] {
  const first = hot[0];
  if (!first) return [...durable];
  return [...durable.filter((line) => line.at < first.at), ...hot];
}
