import crypto from 'node:crypto';
import type {
  ConversationNotice,
  Handoff,
  HandoffContext,
  HandoffPort,
  HandoffReason,
  HandoffRequest,
  Note,
  RequestResult,
  Ticket,
  TranscriptEntry,
} from '../../domain/handoff';
import { maskText } from '../../domain/mask';
import type { Locale } from '../../knowledge/schema';
import type { Logger } from '../logger';
import type { HandoffEvent, HandoffMetrics } from '../metrics';
import { agentsAvailable, dutyFor, type DutyStart } from './duty';
import { HandoffEffects, type HandoffChange } from './effects';
import { ExternalHub } from './externalHub';
import { QueuePlaces } from './queuePlaces';
import { describeSchedule, isOpen, type Schedule } from './schedule';
import type { ConsoleBus, HandoffStore } from './store';
import { Tickets } from './tickets';
import { TypingRelay } from './typingRelay';
import { HandoffViews } from './views';
import type { Throttle } from '../storage/throttle';
import type { HistoryRecords } from '../records/historyRecords';
import type { InsightsRecorder } from '../desk/insights';

export type { HandoffChange } from './effects';

export interface Agent {
  id: string;
  name: string;
}

/** Why an agent's action was refused; the routes turn these into HTTP statuses. */
export type Refusal = 'not-found' | 'taken' | 'not-yours' | 'closed' | 'at-limit';
export type Result<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

export interface HandoffServiceOptions {
  store: HandoffStore;
  bus: ConsoleBus;
  schedule: Schedule;
  /** Unclaimed this long, a queued handoff expires and the user is offered to leave a message. */
  queueTimeoutMs: number;
  /** Handle time assumed until resolved chats give a real average. */
  defaultHandleMs: number;
  /** Where "today" of the supervisor's figures begins and ends (HANDOFF_TIMEZONE); absent: Asia/Shanghai. */
  timeZone?: string;
  /** Most chats one agent may have claimed at once (AGENT_MAX_CHATS); absent: no limit. */
  maxChatsPerAgent?: number;
  /** Shows the user that an agent is typing (the channel's typing activity); absent: not shown. */
  typing?(conversation: string): Promise<void>;
  /**
   * How often typing is passed on, per chat and direction: shared by the instances (on
   * Redis), so an indicator several of them hear reaches the other side once.
   */
  typingThrottle: Throttle;
  /** Delivers something that happened to a user's conversation as a turn of its own. */
  notify(conversation: string, notice: ConversationNotice): Promise<void>;
  /**
   * External mode: hands the conversation to a contact-centre hub (the Bot Framework
   * `handoff.initiate` event, with the context and the recent transcript).
   */
  initiateExternal?(conversation: string, handoff: { context: HandoffContext; transcript: TranscriptEntry[] }): Promise<void>;
  logger: Logger;
  metrics?: HandoffMetrics;
  /** The knowledge desk's daily counters (handoffs by reason, ratings); never failing the caller. */
  insights?: Pick<InsightsRecorder, 'record'>;
  /** With DATABASE_URL: what the history and closed chats are read from. */
  records?: HistoryRecords;
  now?: () => number;
  /**
   * Counts a new handoff or message left against the current client's limit; false when the
   * client is over it. Absent: no limit (tests, tools).
   */
  admit?(): Promise<boolean>;
}

/** Transcript lines kept per conversation; the agent sees the last 30 before the handoff. */
const TRANSCRIPT_KEEP = 200;
const PRESENCE_TTL_MS = 45_000;

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const refuse = <T>(refusal: Refusal): Result<T> => ({ ok: false, refusal });

/**
 * The human handoff between conversations and agents: the queue, claims, relays in both
 * directions, resolution and expiry, here; tickets, typing, the external hub and what agents
 * read, in parts of their own. State lives in the store (shared by every instance); users
 * hear about changes through `notify`, consoles through the bus.
 */
export class HandoffService implements HandoffPort {
  private readonly now: () => number;
  private readonly effects: HandoffEffects;
  private readonly external: ExternalHub;
  private readonly ticketBox: Tickets;
  private readonly typingRelay: TypingRelay;
  private readonly views: HandoffViews;
  private readonly places: QueuePlaces;

  constructor(private readonly options: HandoffServiceOptions) {
    const now = options.now ?? Date.now;
    this.now = now;
    this.effects = new HandoffEffects(options);
    this.external = new ExternalHub({ options, effects: this.effects, now, open: (c, r, e) => this.open(c, r, e) });
    this.ticketBox = new Tickets({ options, effects: this.effects, now });
    this.typingRelay = new TypingRelay(options);
    this.places = new QueuePlaces({ store: options.store, effects: this.effects, defaultHandleMs: options.defaultHandleMs });
    this.views = new HandoffViews({
      store: options.store,
      now,
      isOpenNow: () => this.isOpenNow(),
      maxChats: this.maxChats,
      defaultHandleMs: options.defaultHandleMs,
      timeZone: this.timeZone,
      records: options.records,
    });
  }

  /** Calls `listener` after each change made on this instance; returns what stops it. The listener must not throw. */
  watch(listener: (change: HandoffChange) => void): () => void {
    return this.effects.watch(listener);
  }

  private changed(change: HandoffChange): void {
    this.effects.changed(change);
  }

  private get store() {
    return this.options.store;
  }

  isOpenNow(): boolean {
    return isOpen(this.options.schedule, new Date(this.now()));
  }

  hours(locale: Locale): string {
    return describeSchedule(this.options.schedule, locale);
  }

  async request(conversation: string, request: HandoffRequest): Promise<RequestResult> {
    if (this.options.initiateExternal) return this.external.request(conversation, request, this.options.initiateExternal);
    const existing = await this.store.openFor(conversation);
    if (existing?.status === 'active') return { status: 'with-agent', agentName: existing.agentName ?? '' };
    if (!existing) {
      const why = !this.isOpenNow() ? 'closed' : (await agentsAvailable(this.store)).length === 0 ? 'no-agents' : undefined;
      if (why) return { status: 'unavailable', why, hours: this.hours(request.locale) };
      if (!(await this.admitted())) return { status: 'limited' };
    }
    const handoff = existing ?? (await this.open(conversation, request, false));
    const wait = await this.places.of(handoff.id);
    if (!wait) return { status: 'unavailable', why: 'no-agents', hours: this.hours(request.locale) };
    await this.store.annotate(handoff.id, { toldPosition: wait.position });
    if (!existing) {
      await this.effects.requested(request.reason);
      this.options.logger.info({ handoff: handoff.id, reason: request.reason, priority: request.priority }, 'handoff queued');
      this.changed({ type: 'queued', handoff });
      await this.publishBoard();
      // Someone behind a new high-priority chat moved back one place.
      if (request.priority === 'high') await this.places.tell();
    }
    return { status: 'queued', ...wait };
  }

  /** A new open handoff, or the one the conversation already has. */
  private async open(conversation: string, request: HandoffRequest, external: boolean): Promise<Handoff> {
    const reference = await this.store.reference(conversation);
    return this.store.open({
      id: crypto.randomUUID(),
      conversation,
      channel: reference?.channelId ?? 'unknown',
      locale: request.locale,
      status: 'queued',
      priority: request.priority,
      context: { reason: request.reason, trail: request.trail, misses: request.misses.slice(-5) },
      createdAt: this.now(),
      ...(external ? { external } : {}),
    });
  }

  /** A `handoff.status` from the external hub; returns what the conversation is told. */
  async externalStatus(conversation: string, state: 'accepted' | 'completed' | 'failed'): Promise<ConversationNotice | undefined> {
    return this.external.status(conversation, state);
  }

  /** Where a queued conversation stands. */
  async position(conversation: string): Promise<{ position: number; etaMinutes: number } | undefined> {
    const handoff = await this.store.openFor(conversation);
    return handoff ? this.places.of(handoff.id) : undefined;
  }

  /** The user left the queue (取消排队) — unless an agent claimed the chat a moment before. */
  async cancel(conversation: string): Promise<'cancelled' | 'with-agent' | 'none'> {
    const handoff = await this.store.openFor(conversation);
    if (!handoff) return 'none';
    const cancelled = await this.store.transition(handoff.id, ['queued'], { status: 'cancelled', closedAt: this.now() });
    if (!cancelled) return (await this.store.get(handoff.id))?.status === 'active' ? 'with-agent' : 'none';
    this.count('cancelled');
    this.options.logger.info({ handoff: handoff.id }, 'handoff cancelled by the user');
    this.changed({ type: 'closed', handoff: cancelled });
    await this.afterQueueChange();
    return 'cancelled';
  }

  async claim(id: string, agent: Agent): Promise<Result<Handoff>> {
    const current = await this.store.get(id);
    if (current?.external) return refuse('not-found');
    // The store counts the agent's chats and claims in one step: of an agent's claims at
    // once (two tabs, a double click, two instances), the first up to the limit win.
    const outcome = await this.store.claim(id, agent, this.now(), this.maxChats);
    if ('refused' in outcome) {
      if (outcome.refused === 'at-limit') return refuse('at-limit');
      const now = await this.store.get(id);
      if (!now) return refuse('not-found');
      if (now.status === 'active') return now.agentId === agent.id ? ok(now) : refuse('taken');
      return refuse('closed');
    }
    const claimed = outcome.claimed;
    this.effects.claimed(claimed, this.now());
    this.options.logger.info({ handoff: id, agent: agent.id, waitedMs: this.now() - claimed.createdAt }, 'handoff claimed');
    this.changed({ type: 'claimed', handoff: claimed });
    await this.safely(claimed.conversation, { type: 'handoff.claimed', agentName: agent.name });
    await this.afterQueueChange();
    return ok(claimed);
  }

  /** AGENT_MAX_CHATS, or no limit. */
  get maxChats(): number {
    return this.options.maxChatsPerAgent ?? Number.POSITIVE_INFINITY;
  }

  /** An active chat of this agent's, or why not. */
  private async mine(id: string, agent: Agent): Promise<Result<Handoff>> {
    const handoff = await this.store.get(id);
    if (!handoff) return refuse('not-found');
    if (handoff.status !== 'active') return refuse('closed');
    if (handoff.agentId !== agent.id) return refuse('not-yours');
    return ok(handoff);
  }

  /** Throws when the message could not be delivered, so the agent knows it was not. */
  async reply(id: string, agent: Agent, text: string): Promise<Result<void>> {
    const chat = await this.mine(id, agent);
    if (!chat.ok) return chat;
    await this.options.notify(chat.value.conversation, { type: 'agent.message', agentName: agent.name, text });
    return ok(undefined);
  }

  /** The agent is typing in this chat: the user is shown so, at most every few seconds. */
  async agentTyping(id: string, agent: Agent): Promise<Result<{ shown: boolean }>> {
    const chat = await this.mine(id, agent);
    if (!chat.ok) return chat;
    return ok({ shown: await this.typingRelay.toUser(id, chat.value.conversation) });
  }

  /** The user is typing (the channel said so): the agent who has the chat is told, at most every few seconds. */
  async userTyping(conversation: string): Promise<void> {
    const handoff = await this.store.openFor(conversation);
    if (handoff?.status !== 'active' || handoff.external) return;
    await this.typingRelay.toAgent(handoff.id);
  }

  async resolve(id: string, agent: Agent): Promise<Result<Handoff>> {
    const chat = await this.mine(id, agent);
    if (!chat.ok) return chat;
    const resolved = await this.store.transition(id, ['active'], { status: 'resolved', closedAt: this.now() });
    if (!resolved) return refuse('closed');
    await this.store.recordHandleTime(this.now() - (resolved.claimedAt ?? resolved.createdAt));
    this.count('resolved');
    this.options.logger.info({ handoff: id, agent: agent.id }, 'handoff resolved');
    this.changed({ type: 'closed', handoff: resolved });
    await this.safely(resolved.conversation, { type: 'handoff.resolved' });
    await this.publishBoard();
    return ok(resolved);
  }

  /** The user ended the chat with a person themselves (结束人工): the agent's console is told. */
  async endByUser(conversation: string): Promise<void> {
    const handoff = await this.store.openFor(conversation);
    if (!handoff || handoff.status !== 'active') return;
    const ended = await this.store.transition(handoff.id, ['active'], { status: 'resolved', closedAt: this.now() });
    if (!ended) return;
    await this.store.recordHandleTime(this.now() - (ended.claimedAt ?? ended.createdAt));
    this.count('resolved');
    this.options.logger.info({ handoff: handoff.id }, 'handoff ended by the user');
    this.changed({ type: 'closed', handoff: ended });
    await this.options.bus.publish({ type: 'chat', id: handoff.id });
    await this.publishBoard();
  }

  /**
   * Notes are for the team: anyone may add one while queued, only the claimant once claimed —
   * except from the Teams thread (`team`), which every agent there reads already.
   */
  async note(id: string, agent: Agent, text: string, from: 'console' | 'team' = 'console'): Promise<Result<Note>> {
    const handoff = await this.store.get(id);
    if (!handoff) return refuse('not-found');
    if (from === 'console' && handoff.status === 'active' && handoff.agentId !== agent.id) return refuse('not-yours');
    // Kept for good: masked like every other line (an agent may paste the user's number).
    const note = { at: this.now(), agentId: agent.id, agentName: agent.name, text: maskText(text) };
    await this.store.addNote(id, note);
    await this.options.bus.publish({ type: 'chat', id });
    return ok(note);
  }

  /** A 1–5 rating for the conversation's last chat with a person. */
  async rate(conversation: string, rating: number): Promise<void> {
    const last = await this.store.lastClosed(conversation);
    if (last?.status !== 'resolved') return;
    await this.store.annotate(last.id, { rating });
    this.options.metrics?.rated(rating);
    await this.options.insights?.record({ kind: 'csat', rating });
    // The consoles' figures (today's average rating) count it now, not at the next change.
    await this.publishBoard();
  }

  /** The ticket, or undefined when this client is over its limit of handoffs and messages. */
  async leaveMessage(conversation: string, message: { locale: Locale; contact: string; text: string; reason: HandoffReason }): Promise<Ticket | undefined> {
    return this.ticketBox.leave(conversation, message);
  }

  async closeTicket(id: string, agent: Agent): Promise<Result<Ticket>> {
    return this.ticketBox.close(id, agent);
  }

  /** Every line of every conversation passes here (a turn's lines at once); consoles showing the chat are told. */
  async record(conversation: string, entries: readonly TranscriptEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const [, open] = await Promise.all([this.store.appendTranscript(conversation, entries, TRANSCRIPT_KEEP), this.store.openFor(conversation)]);
    if (!open) return;
    if (!open.external) this.changed({ type: 'recorded', handoff: open, entries });
    await this.options.bus.publish({ type: 'chat', id: open.id });
  }

  async saveReference(conversation: string, reference: Parameters<HandoffStore['saveReference']>[1]): Promise<void> {
    await this.store.saveReference(conversation, reference);
  }

  /** Expires queued handoffs nobody claimed in time. Runs periodically on every instance. */
  async sweep(): Promise<void> {
    const deadline = this.now() - this.options.queueTimeoutMs;
    let expired = 0;
    for (const handoff of await this.store.listOpen()) {
      if (handoff.status !== 'queued' || handoff.external || handoff.createdAt > deadline) continue;
      // Compare-and-set: when two instances sweep at once, one of them expires it.
      const done = await this.store.transition(handoff.id, ['queued'], { status: 'expired', closedAt: this.now() });
      if (!done) continue;
      expired++;
      this.count('expired');
      this.options.logger.info({ handoff: handoff.id }, 'handoff expired');
      this.changed({ type: 'closed', handoff: done });
      await this.safely(handoff.conversation, { type: 'handoff.expired' });
    }
    if (expired > 0) await this.afterQueueChange();
  }

  /** Online for the console's heartbeat, or `forMs` (HANDOFF_PRESENCE_S after acting in Teams). */
  async agentOnline(agent: Agent, forMs = PRESENCE_TTL_MS): Promise<void> {
    await this.store.touchPresence(agent.id, forMs);
  }

  async agentOffline(agent: Agent): Promise<void> {
    await this.store.dropPresence(agent.id);
    await this.publishBoard();
  }

  /** 上班 in Teams: on duty until 下班 or the end of today's opening hours; refused while closed. */
  async goOnDuty(agent: Agent): Promise<DutyStart> {
    const duty = dutyFor(agent, this.options.schedule, this.now());
    if (!duty) return { onDuty: false, closed: true };
    await this.store.setDuty(duty);
    this.options.logger.info({ agent: agent.id, until: duty.until }, 'agent on duty');
    await this.afterQueueChange();
    return { onDuty: true, until: duty.until };
  }

  /** 下班 in Teams: off duty, and no longer online from having acted there either. */
  async goOffDuty(agent: Agent): Promise<void> {
    await this.store.endDuty(agent.id);
    await this.store.dropPresence(agent.id);
    this.options.logger.info({ agent: agent.id }, 'agent off duty');
    await this.afterQueueChange();
  }

  /** HANDOFF_TIMEZONE, for saying when a duty ends. */
  get timeZone(): string {
    return this.options.timeZone ?? 'Asia/Shanghai';
  }

  /** The queue, the chats with agents, open tickets: what every console lists. */
  board() {
    return this.views.board();
  }

  /** One chat as its agent reads it. */
  chat(id: string) {
    return this.views.chat(id);
  }

  /** Closed chats and tickets matching a chat id, a case id or the last four digits of the user's number. */
  history(raw: string) {
    return this.views.history(raw);
  }

  /** The supervisor's figures. */
  supervisor() {
    return this.views.supervisor();
  }

  private admitted(): Promise<boolean> {
    return this.effects.admitted();
  }

  private count(event: HandoffEvent): void {
    this.effects.count(event);
  }

  private async afterQueueChange(): Promise<void> {
    await this.publishBoard();
    await this.places.tell();
  }

  private publishBoard(): Promise<void> {
    return this.effects.publishBoard();
  }

  private safely(conversation: string, notice: ConversationNotice): Promise<void> {
    return this.effects.safely(conversation, notice);
  }
}
