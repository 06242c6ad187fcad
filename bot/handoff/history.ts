import type { Handoff, Ticket, TranscriptEntry } from '../../domain/handoff';

/**
 * What an agent may search the history by: a chat's id (or its first 8+ characters), a
 * ticket or appeal case id (T-…, AP-…), or the last four digits of the user's number.
 * Pure: the service loads the records, this decides which match.
 */
export type HistoryQuery = { kind: 'lastFour'; digits: string } | { kind: 'id'; id: string };

const LAST_FOUR = /^\d{4}$/;
const CASE_ID = /^(?:AP|T)-\d{8}-[0-9A-Z]{4}$/;
const CHAT_ID_PREFIX = /^[0-9a-f-]{8,36}$/;

export function parseHistoryQuery(raw: string): HistoryQuery | undefined {
  const q = raw.trim();
  if (LAST_FOUR.test(q)) return { kind: 'lastFour', digits: q };
  if (CASE_ID.test(q.toUpperCase())) return { kind: 'id', id: q.toUpperCase() };
  if (CHAT_ID_PREFIX.test(q.toLowerCase())) return { kind: 'id', id: q.toLowerCase() };
  return undefined;
}

/** A masked number as stored (138****0002) or a whole one (a ticket's contact) ending in these digits. */
function endsIn(text: string, digits: string): boolean {
  return new RegExp(`(?:\\d{3}\\*{4}|\\d{7})${digits}(?!\\d)`).test(text);
}

export function chatMatches(query: HistoryQuery, handoff: Handoff, transcript: readonly TranscriptEntry[]): boolean {
  if (query.kind === 'id') return handoff.id.startsWith(query.id) || transcript.some((entry) => entry.text.toUpperCase().includes(query.id));
  const phone = handoff.context.trail?.maskedPhone;
  return (phone !== undefined && endsIn(phone, query.digits)) || transcript.some((entry) => entry.from === 'user' && endsIn(entry.text, query.digits));
}

export function ticketMatches(query: HistoryQuery, ticket: Ticket): boolean {
  return query.kind === 'id' ? ticket.id === query.id : endsIn(ticket.contact, query.digits);
}
