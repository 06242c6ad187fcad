import type { ConversationReference } from 'botbuilder';
import type { Handoff, HandoffStatus, Note, Ticket, TranscriptEntry } from '../../domain/handoff';
import type { Duty } from '../handoff/duty';
import type { AgentsChannel, ClaimOutcome, HandoffStore, TeamsCard } from '../handoff/store';
import type { HistoryRecords } from './historyRecords';
import type { Outbox } from './outbox';
import { recordId } from './recordId';
import { handoffRevision, ticketRevision } from './revision';

/**
 * The handoff store with a database behind it: every operation runs on the hot store
 * (memory or Redis) as before, and what is worth keeping — transcript lines, handoffs as they
 * change, notes, tickets — is queued in the outbox for PostgreSQL. Reads fall back to the
 * database for what the hot store no longer holds (it expired, or Redis was flushed); a
 * database that is away makes those reads come back empty rather than fail a turn.
 */
export class RecordingHandoffStore implements HandoffStore {
  constructor(
    private readonly hot: HandoffStore,
    private readonly outbox: Outbox,
    private readonly records: HistoryRecords,
    private readonly now: () => number = Date.now,
  ) {}

  private keepHandoff(handoff: Handoff): Promise<void> {
    return this.outbox.push([{ kind: 'handoff', id: recordId(), handoff, revision: handoffRevision(handoff, this.now()) }]);
  }

  private keepTicket(ticket: Ticket): Promise<void> {
    return this.outbox.push([{ kind: 'ticket', id: recordId(), ticket, revision: ticketRevision(ticket, this.now()) }]);
  }

  saveReference(conversation: string, reference: Partial<ConversationReference>) {
    return this.hot.saveReference(conversation, reference);
  }

  reference(conversation: string) {
    return this.hot.reference(conversation);
  }

  async appendTranscript(conversation: string, entries: readonly TranscriptEntry[], keep: number) {
    await this.hot.appendTranscript(conversation, entries, keep);
    await this.outbox.push(entries.map((entry) => ({ kind: 'line' as const, id: recordId(), conversation, entry })));
  }

  async transcript(conversation: string) {
    const hot = await this.hot.transcript(conversation);
    if (hot.length > 0) return hot;
    return this.records.transcript(conversation).catch(() => []);
  }

  async open(handoff: Handoff) {
    const stored = await this.hot.open(handoff);
    if (stored.id === handoff.id) await this.keepHandoff(stored);
    return stored;
  }

  async get(id: string) {
    return (await this.hot.get(id)) ?? (await this.records.handoff(id).catch(() => undefined));
  }

  openFor(conversation: string) {
    return this.hot.openFor(conversation);
  }

  listOpen() {
    return this.hot.listOpen();
  }

  async claim(id: string, agent: { id: string; name: string }, claimedAt: number, limit: number): Promise<ClaimOutcome> {
    const outcome = await this.hot.claim(id, agent, claimedAt, limit);
    if ('claimed' in outcome) await this.keepHandoff(outcome.claimed);
    return outcome;
  }

  async transition(id: string, from: readonly HandoffStatus[], patch: Partial<Handoff>) {
    const changed = await this.hot.transition(id, from, patch);
    if (changed) await this.keepHandoff(changed);
    return changed;
  }

  async annotate(id: string, patch: Pick<Partial<Handoff>, 'toldPosition' | 'rating'>) {
    await this.hot.annotate(id, patch);
    // The told position is live detail only; a rating is kept.
    if (patch.rating === undefined) return;
    const rated = await this.hot.get(id);
    if (rated) await this.keepHandoff(rated);
  }

  lastClosed(conversation: string) {
    return this.hot.lastClosed(conversation);
  }

  /**
   * From the database (indexed, up to the retention window) and the hot store together: a
   * chat closed a moment ago may still be on its way through the outbox, and while the
   * database is away the hot store is all there is.
   */
  async closedSince(since: number, limit: number) {
    const [durable, hot] = await Promise.all([this.records.closedSince(since, limit).catch(() => []), this.hot.closedSince(since, limit)]);
    const byId = new Map(durable.map((h) => [h.id, h]));
    for (const h of hot) byId.set(h.id, h);
    return [...byId.values()].sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0)).slice(0, limit);
  }

  async addNote(id: string, note: Note) {
    await this.hot.addNote(id, note);
    await this.outbox.push([{ kind: 'note', id: recordId(), handoffId: id, note }]);
  }

  async notes(id: string) {
    const hot = await this.hot.notes(id);
    if (hot.length > 0) return hot;
    return this.records.notes(id).catch(() => []);
  }

  async addTicket(ticket: Ticket) {
    await this.hot.addTicket(ticket);
    await this.keepTicket(ticket);
  }

  tickets() {
    return this.hot.tickets();
  }

  async closeTicket(id: string, agentId: string) {
    const closed = await this.hot.closeTicket(id, agentId);
    if (closed) await this.keepTicket(closed);
    return closed;
  }

  touchPresence(agentId: string, ttlMs: number) {
    return this.hot.touchPresence(agentId, ttlMs);
  }

  dropPresence(agentId: string) {
    return this.hot.dropPresence(agentId);
  }

  agentsOnline() {
    return this.hot.agentsOnline();
  }

  setDuty(duty: Duty) {
    return this.hot.setDuty(duty);
  }

  endDuty(agentId: string) {
    return this.hot.endDuty(agentId);
  }

  onDuty() {
    return this.hot.onDuty();
  }

  saveAgentsChannel(channel: AgentsChannel) {
    return this.hot.saveAgentsChannel(channel);
  }

  agentsChannel() {
    return this.hot.agentsChannel();
  }

  saveTeamsCard(handoffId: string, card: TeamsCard) {
    return this.hot.saveTeamsCard(handoffId, card);
  }

  teamsCard(handoffId: string) {
    return this.hot.teamsCard(handoffId);
  }

  handoffOfThread(thread: string) {
    return this.hot.handoffOfThread(thread);
  }

  recordHandleTime(ms: number) {
    return this.hot.recordHandleTime(ms);
  }

  handleTimes() {
    return this.hot.handleTimes();
  }
}
