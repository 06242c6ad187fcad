import type { Handoff, Ticket, TranscriptEntry } from '../../domain/handoff';
import { mergeTranscripts, type HistoryRecords } from '../records/historyRecords';
import { maskPhone, maskText } from '../../domain/mask';
import { boardEntryHints } from './boardEntry';
import { agentsAvailable } from './duty';
import { chatMatches, parseHistoryQuery, ticketMatches, type HistoryQuery } from './history';
import { estimatedWaitMinutes, queueOrder } from './queue';
import type { HandoffStore } from './store';
import { startOfDay, supervisorFigures } from './supervisor';

/** The last lines before the handoff an agent reads with the chat. */
export const CONTEXT_MESSAGES = 30;
/** The history answers at most this many matches, from the newest closed chats it scans. */
const HISTORY_RESULTS = 20;
const HISTORY_SCAN = 500;
/** The day's figures read at most this many closed chats. */
const DAY_SCAN = 5000;

export interface HandoffViewsOptions {
  store: HandoffStore;
  now: () => number;
  isOpenNow: () => boolean;
  /** AGENT_MAX_CHATS, or infinity. */
  maxChats: number;
  defaultHandleMs: number;
  timeZone: string;
  /** With DATABASE_URL: the history and closed chats are read from the database. */
  records?: HistoryRecords;
}

/** A handoff as the board lists it, with what tells one chat from another (masked number or first words, waiting, unread). */
const summary = (h: Handoff, transcript: readonly TranscriptEntry[]) => ({
  ...boardEntryHints(h, transcript),
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

/**
 * What agents read of the handoffs, straight from the store: the board every console lists,
 * one chat, the history, the supervisor's figures. Masked, and without the conversation key,
 * which names the user's channel conversation and is of no use to an agent.
 */
export class HandoffViews {
  constructor(private readonly options: HandoffViewsOptions) {}

  private get store() {
    return this.options.store;
  }

  /** The queue, the chats with agents, open tickets: what every console lists. */
  async board() {
    const open = (await this.store.listOpen()).filter((h) => !h.external);
    const agents = await agentsAvailable(this.store);
    const handleTimes = await this.store.handleTimes();
    const { maxChats } = this.options;
    const transcripts = new Map(await Promise.all(open.map(async (h) => [h.id, await this.store.transcript(h.conversation)] as const)));
    const listed = (h: Handoff) => summary(h, transcripts.get(h.id) ?? []);
    return {
      openNow: this.options.isOpenNow(),
      agentsOnline: agents.length,
      maxChats: Number.isFinite(maxChats) ? maxChats : null,
      queue: queueOrder(open).map((h, i) => ({
        ...listed(h),
        position: i + 1,
        etaMinutes: estimatedWaitMinutes(i + 1, agents.length, handleTimes, this.options.defaultHandleMs),
      })),
      active: open.filter((h) => h.status === 'active').map(listed),
      tickets: (await this.store.tickets())
        .filter((t) => t.status === 'open')
        .sort((a, b) => a.createdAt - b.createdAt)
        .map((t) => ({ ...t, contact: maskPhone(t.contact), conversation: undefined })),
    };
  }

  /** One chat as its agent reads it: context, the last messages before the handoff and all after, notes. */
  async chat(id: string) {
    const handoff = await this.store.get(id);
    return handoff && this.chatOf(handoff);
  }

  private async chatOf(handoff: Handoff) {
    const { id } = handoff;
    const transcript = await this.transcriptOf(handoff);
    const before = transcript.filter((e) => e.at < handoff.createdAt).slice(-CONTEXT_MESSAGES);
    const after = transcript.filter((e) => e.at >= handoff.createdAt && (handoff.closedAt === undefined || e.at <= handoff.closedAt));
    return { handoff: { ...handoff, conversation: undefined }, transcript: [...before, ...after], notes: await this.store.notes(id) };
  }

  /** A closed chat's lines may be partly or wholly gone from the hot store: the database has the rest. */
  private async transcriptOf(handoff: Handoff): Promise<TranscriptEntry[]> {
    const hot = await this.store.transcript(handoff.conversation);
    const { records } = this.options;
    if (!records || handoff.closedAt === undefined) return hot;
    return mergeTranscripts(await records.transcript(handoff.conversation), hot);
  }

  /**
   * Closed chats and closed tickets matching a chat id, a case id or the last four digits of
   * the user's number, newest first, as the console shows them: masked, without the
   * conversation key, each with its own chat's transcript and notes only.
   */
  async history(raw: string) {
    const query = parseHistoryQuery(raw);
    if (!query) return undefined;
    const { records } = this.options;
    const found = records ? await records.search(query, HISTORY_RESULTS) : undefined;
    const chats = found ? await Promise.all(found.handoffs.map((handoff) => this.chatOf(handoff))) : await this.scanChats(query);
    const tickets = (found?.tickets ?? (await this.scanTickets(query))).map((t) => ({ ...t, contact: maskPhone(t.contact), text: maskText(t.text), conversation: undefined }));
    return { chats, tickets };
  }

  /** Without a database: the newest closed chats the hot store keeps, read through. */
  private async scanChats(query: HistoryQuery) {
    const chats = [];
    for (const handoff of await this.store.closedSince(0, HISTORY_SCAN)) {
      if (chats.length >= HISTORY_RESULTS) break;
      if (handoff.external) continue;
      const chat = await this.chatOf(handoff);
      if (chatMatches(query, handoff, chat.transcript)) chats.push(chat);
    }
    return chats;
  }

  private async scanTickets(query: HistoryQuery): Promise<Ticket[]> {
    return (await this.store.tickets())
      .filter((t) => t.status === 'done' && ticketMatches(query, t))
      .sort((a, b) => b.createdAt - a.createdAt)
      .slice(0, HISTORY_RESULTS);
  }

  /** The supervisor's figures, read live from the store: the queue now, the agents' load, today so far. */
  async supervisor() {
    const now = this.options.now();
    const open = (await this.store.listOpen()).filter((h) => !h.external);
    const since = startOfDay(now, this.options.timeZone);
    const figures = supervisorFigures({ now, since, open, online: await agentsAvailable(this.store), closedToday: await this.store.closedSince(since, DAY_SCAN), maxChats: this.options.maxChats });
    // Who is on duty from Teams (上班), and until when (null: until they go off duty).
    const onDuty = (await this.store.onDuty()).sort((a, b) => a.since - b.since).map(({ agentId, name, until }) => ({ id: agentId, name, until }));
    return { ...figures, onDuty };
  }
}
