import type { ConversationReference } from 'botbuilder';
import { ExpiringMap, sweepInterval } from '../expiringMap';
import type { StateTtl } from '../stateTtl';
import { OPEN_STATUSES, type ConsoleEvent, type Handoff, type HandoffStatus, type Note, type Ticket, type TranscriptEntry } from '../../../domain/handoff';
import { onDutyAt, type Duty } from '../../handoff/duty';
import { CLOSED_KEPT, RECENT_HANDLE_TIMES, type AgentsChannel, type ClaimOutcome, type ConsoleBus, type HandoffStore, type TeamsCard } from '../../handoff/store';

/** The handoff's shared records in this process's memory: one instance. */
export class MemoryHandoffStore implements HandoffStore {
  /**
   * Per conversation, with the lifetimes of bot/storage/stateTtl.ts, as in Redis. What goes in
   * and what comes out are copies, so no caller can change the store through an object it
   * holds. The reference is kept as JSON text (one string, not a graph of small objects);
   * transcript lines as small objects, whose text is often the knowledge base's own answer
   * string, shared by every conversation that got it rather than copied into each.
   */
  private readonly references: ExpiringMap<string, string>;
  private readonly transcripts: ExpiringMap<string, TranscriptEntry[]>;
  private readonly handoffs = new Map<string, Handoff>();
  private readonly notesById = new Map<string, Note[]>();
  private readonly ticketsById = new Map<string, Ticket>();
  /** When each done ticket was closed (a ticket records who closed it, not when). */
  private readonly ticketsDoneAt = new Map<string, number>();
  private readonly presence = new Map<string, number>();
  private readonly duties = new Map<string, Duty>();
  private readonly recentHandleTimes: number[] = [];
  private teamsChannel: AgentsChannel | undefined;
  /** Kept as long as the handoffs the history can find (the newest CLOSED_KEPT and the open ones). */
  private readonly cards = new Map<string, TeamsCard>();
  private readonly threads = new Map<string, string>();

  constructor(
    private readonly now: () => number = Date.now,
    private readonly ttl: StateTtl = { engagedS: 30 * 86400, anonymousS: 30 * 86400 },
  ) {
    this.references = new ExpiringMap(sweepInterval(ttl.anonymousS * 1000), now);
    this.transcripts = new ExpiringMap(sweepInterval(ttl.anonymousS * 1000), now);
  }

  /** Conversations with a reference or a transcript held, expired ones not yet swept included (for tests and footprint checks). */
  get conversationsHeld(): number {
    return new Set([...this.references.keys(), ...this.transcripts.keys()]).size;
  }

  async saveReference(conversation: string, reference: Partial<ConversationReference>) {
    this.references.set(conversation, JSON.stringify(reference), this.ttl.anonymousS * 1000, 'extend');
  }

  async reference(conversation: string) {
    const json = this.references.get(conversation);
    return json === undefined ? undefined : (JSON.parse(json) as Partial<ConversationReference>);
  }

  async appendTranscript(conversation: string, entries: readonly TranscriptEntry[], keep: number) {
    const list = this.transcripts.get(conversation) ?? [];
    list.push(...entries.map((entry) => (entry.attachments ? structuredClone(entry) : { ...entry })));
    if (list.length > keep) list.splice(0, list.length - keep);
    // A line the user wrote gives the transcript and the reference their full lifetime.
    const user = entries.some((entry) => entry.from === 'user');
    this.transcripts.set(conversation, list, (user ? this.ttl.engagedS : this.ttl.anonymousS) * 1000, user ? 'reset' : 'extend');
    if (user) this.references.touch(conversation, this.ttl.engagedS * 1000, 'reset');
  }

  async transcript(conversation: string) {
    return structuredClone(this.transcripts.get(conversation) ?? []);
  }

  /** No await between the look and the write: two requests at once open one handoff. */
  async open(handoff: Handoff) {
    const existing = this.findOpen(handoff.conversation);
    if (existing) return { ...existing };
    this.handoffs.set(handoff.id, { ...handoff });
    return { ...handoff };
  }

  private findOpen(conversation: string): Handoff | undefined {
    return [...this.handoffs.values()].find((h) => h.conversation === conversation && OPEN_STATUSES.includes(h.status));
  }

  async get(id: string) {
    const found = this.handoffs.get(id);
    return found && { ...found };
  }

  async openFor(conversation: string) {
    const found = this.findOpen(conversation);
    return found && { ...found };
  }

  async listOpen() {
    return [...this.handoffs.values()].filter((h) => OPEN_STATUSES.includes(h.status)).map((h) => ({ ...h }));
  }

  /** No await between the count and the write: an agent's claims at once are taken one by one. */
  async claim(id: string, agent: { id: string; name: string }, claimedAt: number, limit: number): Promise<ClaimOutcome> {
    const found = this.handoffs.get(id);
    if (found?.status !== 'queued') return { refused: 'not-queued' };
    let held = 0;
    for (const h of this.handoffs.values()) if (h.status === 'active' && h.agentId === agent.id) held++;
    if (held >= limit) return { refused: 'at-limit' };
    const claimed: Handoff = { ...found, status: 'active', agentId: agent.id, agentName: agent.name, claimedAt };
    this.handoffs.set(id, claimed);
    return { claimed: { ...claimed } };
  }

  async transition(id: string, from: readonly HandoffStatus[], patch: Partial<Handoff>) {
    const found = this.handoffs.get(id);
    if (!found || !from.includes(found.status)) return undefined;
    const next = { ...found, ...patch };
    this.handoffs.set(id, next);
    if (!OPEN_STATUSES.includes(next.status)) this.forgetOldRecords();
    return { ...next };
  }

  /**
   * Closed chats (with their notes and cards) and done tickets are kept as long as
   * transcripts, and at most the newest CLOSED_KEPT chats: a long-running process holds a
   * bounded history. Run whenever one closes, so the work is paid by what adds to it.
   */
  private forgetOldRecords(): void {
    const cutoff = this.now() - (this.ttl.transcriptS ?? this.ttl.engagedS) * 1000;
    const closed = [...this.handoffs.values()].filter((h) => !OPEN_STATUSES.includes(h.status)).sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0));
    for (const [i, h] of closed.entries()) {
      if (i < CLOSED_KEPT && (h.closedAt ?? 0) >= cutoff) continue;
      this.handoffs.delete(h.id);
      this.notesById.delete(h.id);
      const card = this.cards.get(h.id);
      if (card) this.threads.delete(card.thread);
      this.cards.delete(h.id);
    }
    for (const [id, doneAt] of this.ticketsDoneAt) {
      if (doneAt >= cutoff) continue;
      this.ticketsById.delete(id);
      this.ticketsDoneAt.delete(id);
    }
  }

  async annotate(id: string, patch: Pick<Partial<Handoff>, 'toldPosition' | 'rating'>) {
    const found = this.handoffs.get(id);
    if (found) this.handoffs.set(id, { ...found, ...patch });
  }

  async lastClosed(conversation: string) {
    const closed = [...this.handoffs.values()]
      .filter((h) => h.conversation === conversation && h.closedAt !== undefined)
      .sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0));
    return closed[0] && { ...closed[0] };
  }

  async closedSince(since: number, limit: number) {
    return [...this.handoffs.values()]
      .filter((h) => h.closedAt !== undefined && h.closedAt >= since && !OPEN_STATUSES.includes(h.status))
      .sort((a, b) => (b.closedAt ?? 0) - (a.closedAt ?? 0))
      .slice(0, Math.min(limit, CLOSED_KEPT))
      .map((h) => ({ ...h }));
  }

  async addNote(id: string, note: Note) {
    this.notesById.set(id, [...(this.notesById.get(id) ?? []), note]);
  }

  async notes(id: string) {
    return [...(this.notesById.get(id) ?? [])];
  }

  async addTicket(ticket: Ticket) {
    this.ticketsById.set(ticket.id, { ...ticket });
  }

  async tickets() {
    return [...this.ticketsById.values()].map((t) => ({ ...t }));
  }

  async closeTicket(id: string, agentId: string) {
    const found = this.ticketsById.get(id);
    if (!found || found.status !== 'open') return undefined;
    const closed = { ...found, status: 'done' as const, closedBy: agentId };
    this.ticketsById.set(id, closed);
    this.ticketsDoneAt.set(id, this.now());
    this.forgetOldRecords();
    return { ...closed };
  }

  async touchPresence(agentId: string, ttlMs: number) {
    this.presence.set(agentId, Math.max(this.presence.get(agentId) ?? 0, this.now() + ttlMs));
  }

  async saveAgentsChannel(channel: AgentsChannel) {
    this.teamsChannel = { ...channel };
  }

  async agentsChannel() {
    return this.teamsChannel ? { ...this.teamsChannel } : undefined;
  }

  async saveTeamsCard(handoffId: string, card: TeamsCard) {
    this.cards.set(handoffId, { ...card });
    this.threads.set(card.thread, handoffId);
    for (const [id, old] of this.cards) {
      if (this.cards.size <= 2 * CLOSED_KEPT) break;
      this.cards.delete(id);
      this.threads.delete(old.thread);
    }
  }

  async teamsCard(handoffId: string) {
    const card = this.cards.get(handoffId);
    return card ? { ...card } : undefined;
  }

  async handoffOfThread(thread: string) {
    return this.threads.get(thread);
  }

  async setDuty(duty: Duty) {
    this.duties.set(duty.agentId, { ...duty });
  }

  async endDuty(agentId: string) {
    this.duties.delete(agentId);
  }

  async onDuty() {
    const now = this.now();
    return [...this.duties.values()].filter((duty) => onDutyAt(duty, now)).map((duty) => ({ ...duty }));
  }

  async dropPresence(agentId: string) {
    this.presence.delete(agentId);
  }

  async agentsOnline() {
    const now = this.now();
    return [...this.presence.entries()].filter(([, until]) => until > now).map(([id]) => id);
  }

  async recordHandleTime(ms: number) {
    this.recentHandleTimes.push(ms);
    if (this.recentHandleTimes.length > RECENT_HANDLE_TIMES) this.recentHandleTimes.shift();
  }

  async handleTimes() {
    return [...this.recentHandleTimes];
  }
}

export class MemoryConsoleBus implements ConsoleBus {
  private readonly listeners = new Set<(event: ConsoleEvent) => void>();

  async publish(event: ConsoleEvent) {
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: (event: ConsoleEvent) => void) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
