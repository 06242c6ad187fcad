import crypto from 'node:crypto';
import { newCaseId } from '../../domain/caseId';
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
import { maskPhone, maskText } from '../../domain/mask';
import type { Locale } from '../../knowledge/schema';
import type { Logger } from '../logger';
import type { HandoffEvent, HandoffMetrics } from '../metrics';
import { boardEntryHints } from './boardEntry';
import { chatMatches, parseHistoryQuery, ticketMatches } from './history';
import { estimatedWaitMinutes, positions, queueOrder } from './queue';
import { startOfDay, supervisorFigures } from './supervisor';
import { describeSchedule, isOpen, type Schedule } from './schedule';
import type { ConsoleBus, HandoffStore } from './store';
import type { Throttle } from '../storage/throttle';

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
  now?: () => number;
  /**
   * Counts a new handoff or message left against the current client's limit; false when the
   * client is over it. Absent: no limit (tests, tools).
   */
  admit?(): Promise<boolean>;
}

/** Transcript lines kept per conversation; the agent sees the last 30 before the handoff. */
const TRANSCRIPT_KEEP = 200;
const CONTEXT_MESSAGES = 30;
const PRESENCE_TTL_MS = 45_000;
/** A typing indicator is passed on at most this often per chat and direction (Web Chat shows one for a few seconds). */
const TYPING_EVERY_MS = 3000;
/** The history answers at most this many matches, from the newest closed chats it scans. */
const HISTORY_RESULTS = 20;
const HISTORY_SCAN = 500;
/** The day's figures read at most this many closed chats. */
const DAY_SCAN = 5000;

/**
 * What just happened to a handoff, told to watchers on the instance where it happened only
 * (once per change, however many instances there are): the Teams agents' channel follows
 * the queue by these, as consoles do by the bus.
 */
export type HandoffChange =
  | { type: 'queued' | 'claimed' | 'closed'; handoff: Handoff }
  | { type: 'recorded'; handoff: Handoff; entries: readonly TranscriptEntry[] };

const ok = <T>(value: T): Result<T> => ({ ok: true, value });
const refuse = <T>(refusal: Refusal): Result<T> => ({ ok: false, refusal });

/**
 * The human handoff between conversations and agents: the queue, claims, relays in both
 * directions, resolution, expiry and tickets. State lives in the store (shared by every
 * instance); users hear about changes through `notify`, consoles through the bus.
 */
export class HandoffService implements HandoffPort {
  private readonly now: () => number;
  private readonly watchers = new Set<(change: HandoffChange) => void>();

  constructor(private readonly options: HandoffServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Calls `listener` after each change made on this instance; returns what stops it. The listener must not throw. */
  watch(listener: (change: HandoffChange) => void): () => void {
    this.watchers.add(listener);
    return () => this.watchers.delete(listener);
  }

  private changed(change: HandoffChange): void {
    for (const watcher of this.watchers) watcher(change);
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
    if (this.options.initiateExternal) return this.requestExternal(conversation, request, this.options.initiateExternal);
    const existing = await this.store.openFor(conversation);
    if (existing?.status === 'active') return { status: 'with-agent', agentName: existing.agentName ?? '' };
    if (!existing) {
      const why = !this.isOpenNow() ? 'closed' : (await this.store.agentsOnline()).length === 0 ? 'no-agents' : undefined;
      if (why) return { status: 'unavailable', why, hours: this.hours(request.locale) };
      if (!(await this.admitted())) return { status: 'limited' };
    }
    const handoff = existing ?? (await this.open(conversation, request, false));
    const wait = await this.waitFor(handoff.id);
    if (!wait) return { status: 'unavailable', why: 'no-agents', hours: this.hours(request.locale) };
    await this.store.annotate(handoff.id, { toldPosition: wait.position });
    if (!existing) {
      this.count('requested');
      this.options.logger.info({ handoff: handoff.id, reason: request.reason, priority: request.priority }, 'handoff queued');
      this.changed({ type: 'queued', handoff });
      await this.publishBoard();
      // Someone behind a new high-priority chat moved back one place.
      if (request.priority === 'high') await this.tellPositions();
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

  private async requestExternal(
    conversation: string,
    request: HandoffRequest,
    initiate: NonNullable<HandoffServiceOptions['initiateExternal']>,
  ): Promise<RequestResult> {
    if (await this.store.openFor(conversation)) return { status: 'external' };
    if (!(await this.admitted())) return { status: 'limited' };
    const handoff = await this.open(conversation, request, true);
    const transcript = (await this.store.transcript(conversation)).slice(-CONTEXT_MESSAGES);
    this.count('requested');
    await initiate(conversation, { context: handoff.context, transcript });
    this.options.logger.info({ handoff: handoff.id, reason: request.reason }, 'handoff initiated with the external hub');
    return { status: 'external' };
  }

  /**
   * A `handoff.status` from the external hub: accepted (an agent has the chat), completed
   * (back to the bot) or failed (nobody will come). Returns what the conversation is told.
   */
  async externalStatus(conversation: string, state: 'accepted' | 'completed' | 'failed'): Promise<ConversationNotice | undefined> {
    const handoff = await this.store.openFor(conversation);
    if (!handoff?.external) return undefined;
    const now = this.now();
    if (state === 'accepted') {
      const accepted = await this.store.transition(handoff.id, ['queued'], { status: 'active', claimedAt: now });
      if (!accepted) return undefined;
      this.claimed(accepted);
      return { type: 'handoff.claimed', agentName: '' };
    }
    const closed = await this.store.transition(handoff.id, ['queued', 'active'], { status: state === 'completed' ? 'resolved' : 'expired', closedAt: now });
    if (!closed) return undefined;
    this.count(state === 'completed' ? 'resolved' : 'expired');
    return state === 'completed' ? { type: 'handoff.resolved' } : { type: 'handoff.expired' };
  }

  /** Where a queued conversation stands. */
  async position(conversation: string): Promise<{ position: number; etaMinutes: number } | undefined> {
    const handoff = await this.store.openFor(conversation);
    return handoff ? this.waitFor(handoff.id) : undefined;
  }

  private async waitFor(id: string): Promise<{ position: number; etaMinutes: number } | undefined> {
    const position = positions(await this.queued()).get(id);
    if (position === undefined) return undefined;
    const agents = (await this.store.agentsOnline()).length;
    return { position, etaMinutes: estimatedWaitMinutes(position, agents, await this.store.handleTimes(), this.options.defaultHandleMs) };
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
    this.claimed(claimed);
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

  /** The agent is typing in this chat: the user is shown so, at most every TYPING_EVERY_MS. */
  async agentTyping(id: string, agent: Agent): Promise<Result<{ shown: boolean }>> {
    const chat = await this.mine(id, agent);
    if (!chat.ok) return chat;
    const { typing } = this.options;
    if (!typing || !(await this.typingDue(`agent:${id}`))) return ok({ shown: false });
    try {
      await typing(chat.value.conversation);
    } catch (error) {
      // Only a hint: a user who cannot be reached now hears nothing of it.
      this.options.logger.warn({ err: error, handoff: id }, 'typing indicator not delivered');
      return ok({ shown: false });
    }
    return ok({ shown: true });
  }

  /** The user is typing (the channel said so): the agent who has the chat is told, at most every TYPING_EVERY_MS. */
  async userTyping(conversation: string): Promise<void> {
    const handoff = await this.store.openFor(conversation);
    if (handoff?.status !== 'active' || handoff.external || !(await this.typingDue(`user:${handoff.id}`))) return;
    await this.options.bus.publish({ type: 'typing', id: handoff.id });
  }

  /**
   * Whether this typing indicator opens the chat's window in its direction. Typing is only a
   * hint: a throttle that cannot answer (Redis away) lets it through rather than fail the
   * agent's request or the user's turn — at worst an indicator is shown twice.
   */
  private async typingDue(key: string): Promise<boolean> {
    try {
      return await this.options.typingThrottle.pass(`typing:${key}`, TYPING_EVERY_MS);
    } catch (error) {
      this.options.logger.warn({ err: error, key }, 'typing throttle unavailable; passed on unthrottled');
      return true;
    }
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
    // The consoles' figures (today's average rating) count it now, not at the next change.
    await this.publishBoard();
  }

  /** The ticket, or undefined when this client is over its limit of handoffs and messages. */
  async leaveMessage(conversation: string, message: { locale: Locale; contact: string; text: string; reason: HandoffReason }): Promise<Ticket | undefined> {
    if (!(await this.admitted())) return undefined;
    const reference = await this.store.reference(conversation);
    const ticket: Ticket = {
      id: newCaseId(new Date(this.now()), 'T'),
      conversation,
      channel: reference?.channelId ?? 'unknown',
      createdAt: this.now(),
      status: 'open',
      ...message,
    };
    await this.store.addTicket(ticket);
    this.count('ticket');
    this.options.logger.info({ ticket: ticket.id, reason: ticket.reason }, 'ticket left');
    await this.publishBoard();
    return ticket;
  }

  async closeTicket(id: string, agent: Agent): Promise<Result<Ticket>> {
    const closed = await this.store.closeTicket(id, agent.id);
    if (!closed) return refuse((await this.store.tickets()).some((t) => t.id === id) ? 'closed' : 'not-found');
    await this.publishBoard();
    return ok(closed);
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

  /** The queue, the chats with agents, open tickets: what every console lists. */
  async board() {
    const open = (await this.store.listOpen()).filter((h) => !h.external);
    const agents = await this.store.agentsOnline();
    const handleTimes = await this.store.handleTimes();
    const transcripts = new Map(await Promise.all(open.map(async (h) => [h.id, await this.store.transcript(h.conversation)] as const)));
    const summary = (h: Handoff) => ({
      ...boardEntryHints(h, transcripts.get(h.id) ?? []),
      claimedAt: h.claimedAt,
      id: h.id,
      status: h.status,
      priority: h.priority,
      reason: h.context.reason,
      locale: h.locale,
      channel: h.channel,
      createdAt: h.createdAt,
      agentId: h.agentId,
      agentName: h.agentName,
    });
    return {
      openNow: this.isOpenNow(),
      agentsOnline: agents.length,
      maxChats: Number.isFinite(this.maxChats) ? this.maxChats : null,
      queue: queueOrder(open).map((h, i) => ({
        ...summary(h),
        position: i + 1,
        etaMinutes: estimatedWaitMinutes(i + 1, agents.length, handleTimes, this.options.defaultHandleMs),
      })),
      active: open.filter((h) => h.status === 'active').map(summary),
      tickets: (await this.store.tickets())
        .filter((t) => t.status === 'open')
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((t) => ({ ...t, contact: maskPhone(t.contact), conversation: undefined })),
    };
  }

  /** One chat as its agent reads it: context, the last messages before the handoff and all after, notes. */
  async chat(id: string) {
    const handoff = await this.store.get(id);
    if (!handoff) return undefined;
    const transcript = await this.store.transcript(handoff.conversation);
    const before = transcript.filter((e) => e.at < handoff.createdAt).slice(-CONTEXT_MESSAGES);
    const after = transcript.filter((e) => e.at >= handoff.createdAt && (handoff.closedAt === undefined || e.at <= handoff.closedAt));
    // The conversation key names the user's channel conversation: agents have no use for it.
    return { handoff: { ...handoff, conversation: undefined }, transcript: [...before, ...after], notes: await this.store.notes(id) };
  }

  /**
   * Closed chats and closed tickets matching a chat id, a case id or the last four digits of
   * the user's number, newest first, as the console shows them: masked, without the
   * conversation key, each with its own chat's transcript and notes only.
   */
  async history(raw: string) {
    const query = parseHistoryQuery(raw);
    if (!query) return undefined;
    const chats = [];
    for (const handoff of await this.store.closedSince(0, HISTORY_SCAN)) {
      if (chats.length >= HISTORY_RESULTS) break;
      if (handoff.external) continue;
      const chat = await this.chat(handoff.id);
      if (chat && chatMatches(query, handoff, chat.transcript)) chats.push(chat);
    }
    const tickets = (await this.store.tickets())
      .filter((t) => t.status === 'done' && ticketMatches(query, t))
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, HISTORY_RESULTS)
      .map((t) => ({ ...t, contact: maskPhone(t.contact), text: maskText(t.text), conversation: undefined }));
    return { chats, tickets };
  }

  /** The supervisor's figures, read live from the store: the queue now, the agents' load, today so far. */
  async supervisor() {
    const now = this.now();
    const open = (await this.store.listOpen()).filter((h) => !h.external);
    const since = startOfDay(now, this.options.timeZone ?? 'Asia/Shanghai');
    return supervisorFigures({ now, since, open, online: await this.store.agentsOnline(), closedToday: await this.store.closedSince(since, DAY_SCAN), maxChats: this.maxChats });
  }

  private async admitted(): Promise<boolean> {
    return this.options.admit ? this.options.admit() : true;
  }

  private count(event: HandoffEvent): void {
    this.options.metrics?.handoff(event);
  }

  private claimed(handoff: Handoff): void {
    this.count('claimed');
    this.options.metrics?.queueWait(((handoff.claimedAt ?? this.now()) - handoff.createdAt) / 1000);
  }

  private async afterQueueChange(): Promise<void> {
    await this.publishBoard();
    await this.tellPositions();
  }

  /** Tells each queued user their new place when it changed since they were last told. */
  private async tellPositions(): Promise<void> {
    const open = await this.queued();
    const agents = (await this.store.agentsOnline()).length;
    const handleTimes = await this.store.handleTimes();
    for (const [i, handoff] of queueOrder(open).entries()) {
      const position = i + 1;
      if (handoff.toldPosition === position) continue;
      await this.store.annotate(handoff.id, { toldPosition: position });
      const etaMinutes = estimatedWaitMinutes(position, agents, handleTimes, this.options.defaultHandleMs);
      await this.safely(handoff.conversation, { type: 'handoff.position', position, etaMinutes });
    }
  }

  /** The console's queue: chats of the external hub wait in the hub's own. */
  private async queued(): Promise<Handoff[]> {
    return (await this.store.listOpen()).filter((h) => h.status === 'queued' && !h.external);
  }

  private async publishBoard(): Promise<void> {
    await this.options.bus.publish({ type: 'board' });
  }

  /** A notice that cannot be delivered (the user left, the channel is down) must not fail the agent's action. */
  private async safely(conversation: string, notice: ConversationNotice): Promise<void> {
    try {
      await this.options.notify(conversation, notice);
    } catch (error) {
      this.options.logger.warn({ err: error, notice: notice.type }, 'could not deliver a handoff notice');
    }
  }
}
